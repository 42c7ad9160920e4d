package dev.zmq.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** The peer address frame of a DGRAM message, as libzmq's udp_engine writes and reads it: {@code ip:port}. */
public final class DatagramAddress {
    private static final Pattern IPV4_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):(\\d{1,5})");

    private DatagramAddress() {
    }

    /**
     * A DGRAM peer's address as the first frame shows it, {@code ip:port} (libzmq's sockaddr_to_msg
     * writes the same text and a C string terminator after it, which is left out here).
     */
    public static byte[] format(InetSocketAddress address) {
        return (address.getAddress().getHostAddress() + ":" + address.getPort()).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a DGRAM destination, {@code a.b.c.d:port} as libzmq's resolve_raw_address takes it (IPv4
     * literal, port 1 to 65535; a trailing NUL, as libzmq's own address frames carry, is allowed).
     * Returns null if it is not one.
     */
    public static InetSocketAddress parse(byte[] frame) {
        int length = frame.length;
        if (length > 0 && frame[length - 1] == 0) {
            length--;
        }
        var text = new String(frame, 0, length, StandardCharsets.US_ASCII);
        var m = IPV4_PORT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int port = Integer.parseInt(m.group(2));
        var address = ipv4(m.group(1));
        return address == null || port < 1 || port > 65535 ? null : new InetSocketAddress(address, port);
    }

    /** The IPv4 address written {@code a.b.c.d} (each 0 to 255), or null if {@code text} is not one; never a lookup. */
    public static InetAddress ipv4(String text) {
        var parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
