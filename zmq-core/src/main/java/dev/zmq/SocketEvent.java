package dev.zmq;

import java.util.EnumSet;
import java.util.Set;

/**
 * Something that happened to a socket's connections, as libzmq's socket monitor reports it.
 *
 * @param type what happened
 * @param endpoint the endpoint concerned: the bound endpoint for listener events, the connect
 *        endpoint for connection attempts
 * @param peerAddress the remote address when known (e.g. {@code tcp://127.0.0.1:51234}), else null
 * @param value libzmq's event value: the reconnect interval in ms for CONNECT_RETRIED, the protocol
 *        error code for HANDSHAKE_FAILED_PROTOCOL, the ZAP status code (300, 400, 500) for
 *        HANDSHAKE_FAILED_AUTH, an errno-like code for failures, 0 otherwise
 *        (Java has no file descriptors to report)
 * @param reason a human-readable reason for failures and disconnections, else null
 */
public record SocketEvent(Type type, String endpoint, String peerAddress, long value, String reason) {

    /** The event kinds, with libzmq's numeric codes (ZMQ_EVENT_*). */
    public enum Type {
        CONNECTED(0x0001),
        CONNECT_DELAYED(0x0002),
        CONNECT_RETRIED(0x0004),
        LISTENING(0x0008),
        BIND_FAILED(0x0010),
        ACCEPTED(0x0020),
        ACCEPT_FAILED(0x0040),
        CLOSED(0x0080),
        CLOSE_FAILED(0x0100),
        DISCONNECTED(0x0200),
        MONITOR_STOPPED(0x0400),
        HANDSHAKE_FAILED_NO_DETAIL(0x0800),
        HANDSHAKE_SUCCEEDED(0x1000),
        HANDSHAKE_FAILED_PROTOCOL(0x2000),
        HANDSHAKE_FAILED_AUTH(0x4000),
        /**
         * Not a libzmq event (its code is one libzmq 4.3 leaves unused): an I/O thread of the socket's
         * context stopped for good on an error it could not recover from. Its connections are closed;
         * the context cannot serve them again and should be recreated. {@code reason} names the thread
         * and the error. See {@link SocketStatistics#ioThreadFailures()}.
         */
        IO_THREAD_FAILED(0x8000),
        /**
         * Not a libzmq event: a name connected with {@link SocketOption#CONNECT_ALL_ADDRESSES} now
         * stands for one more address, which the socket connects to. {@code endpoint} is the endpoint
         * as connected ({@code tcp://orders:5557}), {@code peerAddress} the new address. Its code is
         * above libzmq's 16 bits, so libzmq's wire-format monitor never carries it.
         */
        ADDRESS_ADDED(0x20000),
        /**
         * Not a libzmq event: an address is no longer behind a name connected with
         * {@link SocketOption#CONNECT_ALL_ADDRESSES}. Nothing new is queued for it; its connection
         * ends once what was queued is delivered, or LINGER runs out. {@code peerAddress} is the address.
         */
        ADDRESS_REMOVED(0x40000),
        /**
         * Not a libzmq event: resolving a name connected with {@link SocketOption#CONNECT_ALL_ADDRESSES}
         * failed ({@code reason} says why); the socket keeps the addresses it has and tries again.
         */
        RESOLVE_FAILED(0x80000);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** libzmq's ZMQ_EVENT_* value. */
        public int code() {
            return code;
        }

        /** The types whose codes are set in a libzmq event mask (ZMQ_EVENT_ALL is 0xFFFF). */
        public static Set<Type> fromMask(int mask) {
            var set = EnumSet.noneOf(Type.class);
            for (var t : values()) {
                if ((mask & t.code) != 0) {
                    set.add(t);
                }
            }
            return set;
        }
    }

    /** libzmq's ZMQ_EVENT_ALL. */
    public static final int ALL = 0xFFFF;

    /** Protocol error codes carried by {@link Type#HANDSHAKE_FAILED_PROTOCOL}, as libzmq's ZMQ_PROTOCOL_ERROR_*. */
    public static final class ProtocolError {
        public static final int ZMTP_UNSPECIFIED = 0x10000000;
        public static final int ZMTP_UNEXPECTED_COMMAND = 0x10000001;
        public static final int ZMTP_INVALID_SEQUENCE = 0x10000002;
        public static final int ZMTP_KEY_EXCHANGE = 0x10000003;
        public static final int ZMTP_MALFORMED_COMMAND_UNSPECIFIED = 0x10000011;
        public static final int ZMTP_MALFORMED_COMMAND_MESSAGE = 0x10000012;
        public static final int ZMTP_MALFORMED_COMMAND_HELLO = 0x10000013;
        public static final int ZMTP_MALFORMED_COMMAND_INITIATE = 0x10000014;
        public static final int ZMTP_MALFORMED_COMMAND_ERROR = 0x10000015;
        public static final int ZMTP_MALFORMED_COMMAND_READY = 0x10000016;
        public static final int ZMTP_MALFORMED_COMMAND_WELCOME = 0x10000017;
        public static final int ZMTP_INVALID_METADATA = 0x10000018;
        /** A box did not open: a wrong key (often the client's CURVE_SERVERKEY), or tampering. */
        public static final int ZMTP_CRYPTOGRAPHIC = 0x11000001;
        public static final int ZMTP_MECHANISM_MISMATCH = 0x11000002;
        public static final int ZAP_UNSPECIFIED = 0x20000000;
        public static final int ZAP_MALFORMED_REPLY = 0x20000001;
        public static final int ZAP_BAD_REQUEST_ID = 0x20000002;
        public static final int ZAP_BAD_VERSION = 0x20000003;
        public static final int ZAP_INVALID_STATUS_CODE = 0x20000004;
        public static final int ZAP_INVALID_METADATA = 0x20000005;

        private ProtocolError() {
        }
    }
}
