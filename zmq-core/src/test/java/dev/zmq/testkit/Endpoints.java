package dev.zmq.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Endpoint strings and ports for tests. */
public final class Endpoints {
    private Endpoints() {
    }

    /** The port of a {@code tcp://host:port} endpoint. */
    public static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /**
     * A loopback endpoint on which nobody listens right now: an ephemeral port the OS handed out
     * and that was released again. Connections to it are refused until something binds it.
     */
    public static String unused() {
        try (var s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return "tcp://127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this machine can bind a TCP socket on the IPv6 loopback address, checked with plain java.net. */
    public static boolean hasIpv6Loopback() {
        try (var s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
