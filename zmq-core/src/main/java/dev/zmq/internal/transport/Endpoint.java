package dev.zmq.internal.transport;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;

/**
 * A parsed endpoint, {@code transport://address}.
 *
 * @param transport the transport name, lower case
 * @param address what follows {@code ://}
 * @param text the endpoint as given
 */
public record Endpoint(String transport, String address, String text) {

    /** Parses {@code text}, failing with EINVAL or EPROTONOSUPPORT and a message that says what is wrong. */
    public static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ZmqException(ZmqError.EINVAL, "endpoint is empty; expected transport://address, e.g. tcp://127.0.0.1:5555");
        }
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text
                    + "': expected transport://address, e.g. tcp://127.0.0.1:5555");
        }
        var transport = text.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
        var address = text.substring(sep + 3);
        switch (transport) {
            case "tcp", "ipc", "inproc", "epgm", "udp" -> { }
            case "pgm" -> throw new ZmqException(ZmqError.EPROTONOSUPPORT, "pgm:// (PGM straight over IP) needs raw sockets, which"
                    + " Java cannot open; use epgm:// (PGM over UDP, which libzmq peers speak too), e.g. epgm://"
                    + address.replace("://", ""));
            default -> throw new ZmqException(ZmqError.EPROTONOSUPPORT, "unknown transport '" + transport
                    + "' in endpoint '" + text + "'; supported: tcp, ipc, inproc, epgm, udp");
        }
        if (address.isEmpty()) {
            throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text + "': the address after :// is empty");
        }
        return new Endpoint(transport, address, text);
    }

    /** The stream transport for this endpoint; inproc has none (it is handled by the context). */
    public StreamTransport streamTransport() {
        return switch (transport) {
            case "tcp" -> dev.zmq.internal.transport.tcp.TcpTransport.INSTANCE;
            case "ipc" -> dev.zmq.internal.transport.ipc.IpcTransport.INSTANCE;
            default -> throw new IllegalStateException(transport + " is not a stream transport");
        };
    }

    public boolean isInproc() {
        return transport.equals("inproc");
    }

    /** Whether this is PGM over UDP, which has no listener: bind and connect both join the group. */
    public boolean isEpgm() {
        return transport.equals("epgm");
    }

    /** Whether this is plain UDP (RADIO, DISH and DGRAM), where each message is one datagram and there is no listener. */
    public boolean isUdp() {
        return transport.equals("udp");
    }
}
