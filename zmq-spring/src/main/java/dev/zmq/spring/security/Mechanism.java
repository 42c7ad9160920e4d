package dev.zmq.spring.security;


import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import dev.zmq.security.CurveKeyPair;
import dev.zmq.security.Z85;
import java.util.Objects;

/**
 * The security of one socket, checked and with its keys decoded: the NULL mechanism, or PLAIN or
 * CURVE as server or client. {@code SecurityResolver} builds it from
 * {@code zmq.sockets.<name>.security}. No {@code toString} shows a password or a secret key.
 */
public sealed interface Mechanism {

    /** No security: the NULL mechanism, the default. */
    Mechanism NULL = new Null(null);

    /** {@code "NULL"}, {@code "PLAIN"} or {@code "CURVE"}, as libzmq's ZMQ_MECHANISM names them. */
    String name();

    /** The ZAP domain, or null when none is set. */
    String zapDomain();

    /** What health and the actuator endpoint show: {@code "CURVE server"}, {@code "PLAIN client"}, {@code "NULL"}. */
    default String describe() {
        return name();
    }

    /**
     * Whether connections to this socket are checked by the ZAP handler: a PLAIN or CURVE server,
     * or a NULL socket with a ZAP domain (address checks).
     */
    default boolean authenticatesPeers() {
        return false;
    }

    /** Sets the socket options of this mechanism on {@code socket} (the last option set selects the mechanism, as in libzmq). */
    void applyTo(ZmqSocket socket);

    private static void applyDomain(ZmqSocket socket, String domain) {
        if (domain != null) {
            socket.set(SocketOption.ZAP_DOMAIN, domain);
        }
    }

    /** NULL, with an optional ZAP domain that makes the socket ask the ZAP handler about each peer's address. */
    record Null(String zapDomain) implements Mechanism {
        @Override
        public String name() {
            return "NULL";
        }

        @Override
        public boolean authenticatesPeers() {
            return zapDomain != null;
        }

        @Override
        public void applyTo(ZmqSocket socket) {
            applyDomain(socket, zapDomain);
        }
    }

    /** PLAIN server: clients' user names and passwords are checked by the ZAP handler. */
    record PlainServer(String zapDomain) implements Mechanism {
        @Override
        public String name() {
            return "PLAIN";
        }

        @Override
        public String describe() {
            return "PLAIN server";
        }

        @Override
        public boolean authenticatesPeers() {
            return true;
        }

        @Override
        public void applyTo(ZmqSocket socket) {
            applyDomain(socket, zapDomain);
            socket.set(SocketOption.PLAIN_SERVER, true);
        }
    }

    /** PLAIN client: sends a user name and password. */
    record PlainClient(String username, String password) implements Mechanism {
        public PlainClient {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String name() {
            return "PLAIN";
        }

        @Override
        public String zapDomain() {
            return null;
        }

        @Override
        public String describe() {
            return "PLAIN client";
        }

        @Override
        public void applyTo(ZmqSocket socket) {
            socket.set(SocketOption.PLAIN_USERNAME, username);
            socket.set(SocketOption.PLAIN_PASSWORD, password);
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "PlainClient[username=" + username + ", password=<hidden>]";
        }
    }

    /** CURVE server: its key pair, whose public key clients know; client keys are checked by the ZAP handler. */
    record CurveServer(CurveKeyPair keys, String zapDomain) implements Mechanism {
        public CurveServer {
            Objects.requireNonNull(keys, "keys");
        }

        @Override
        public String name() {
            return "CURVE";
        }

        @Override
        public String describe() {
            return "CURVE server";
        }

        @Override
        public boolean authenticatesPeers() {
            return true;
        }

        @Override
        public void applyTo(ZmqSocket socket) {
            applyDomain(socket, zapDomain);
            socket.set(SocketOption.CURVE_PUBLICKEY, keys.publicKey());
            socket.set(SocketOption.CURVE_SECRETKEY, keys.secretKey());
            socket.set(SocketOption.CURVE_SERVER, true);
        }

        /** Shows the public key only ({@link CurveKeyPair#toString()}). */
        @Override
        public String toString() {
            return "CurveServer[keys=" + keys + ", zapDomain=" + zapDomain + "]";
        }
    }

    /** CURVE client: its own key pair and the server's public key. */
    record CurveClient(CurveKeyPair keys, byte[] serverKey) implements Mechanism {
        public CurveClient {
            Objects.requireNonNull(keys, "keys");
            serverKey = Objects.requireNonNull(serverKey, "serverKey").clone();
            if (serverKey.length != 32) {
                throw new IllegalArgumentException("a CURVE server key is 32 bytes, got " + serverKey.length);
            }
        }

        @Override
        public byte[] serverKey() {
            return serverKey.clone();
        }

        @Override
        public String name() {
            return "CURVE";
        }

        @Override
        public String zapDomain() {
            return null;
        }

        @Override
        public String describe() {
            return "CURVE client";
        }

        @Override
        public void applyTo(ZmqSocket socket) {
            socket.set(SocketOption.CURVE_PUBLICKEY, keys.publicKey());
            socket.set(SocketOption.CURVE_SECRETKEY, keys.secretKey());
            socket.set(SocketOption.CURVE_SERVERKEY, serverKey.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CurveClient other && keys.equals(other.keys) && java.util.Arrays.equals(serverKey, other.serverKey);
        }

        @Override
        public int hashCode() {
            return keys.hashCode() * 31 + java.util.Arrays.hashCode(serverKey);
        }

        /** Shows public keys only. */
        @Override
        public String toString() {
            return "CurveClient[keys=" + keys + ", serverKey=" + Z85.encode(serverKey) + "]";
        }
    }
}
