package dev.zmq.internal.engine;

import dev.zmq.internal.wire.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The properties every message received on a connection carries (ZMQ_MSG_PROPERTY), and the texts around them. */
final class ConnectionProperties {
    private ConnectionProperties() {
    }

    /**
     * The properties received messages carry, as libzmq compiles them: Peer-Address first, then
     * what the ZAP handler said (User-Id, its metadata), then the peer's handshake metadata (null
     * for ZMTP 1.0/2.0 peers); a name already present is not replaced, so a peer cannot pose as
     * another User-Id. Shared by all messages of the connection: immutable.
     */
    static Map<String, String> of(String peerAddress, Map<String, String> zapProperties, Metadata peerMetadata) {
        var props = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        var ip = ipOf(peerAddress);
        if (!ip.isEmpty()) {
            props.put("Peer-Address", ip);
        }
        // Loops, not forEach with lambdas: this runs at every handshake, the first inside a cold
        // latency run's window, where each lambda is a class spun (~0.4 ms).
        if (!zapProperties.isEmpty()) {
            for (var e : zapProperties.entrySet()) {
                props.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        if (peerMetadata != null) {
            peerMetadata.addStringsIfAbsent(props);
        }
        return Collections.unmodifiableMap(props);
    }

    /** The IP address in {@code tcp://host:port} (brackets of IPv6 removed); empty for other transports. */
    static String ipOf(String address) {
        if (address == null || !address.startsWith("tcp://")) {
            return "";
        }
        var hostPort = address.substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        var host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * {@code s} with every character but printable ASCII replaced by a hex escape. Close reasons quote
     * what the peer sent (socket type, property names): its control characters must not reach logs
     * and monitor events, where they could forge lines or drive terminals.
     */
    static String printable(String s) {
        // Plain loops: every connection's close passes here, often in a cold JVM, where a stream and
        // its lambdas would be spun (class generation) the first time.
        int i = 0;
        while (i < s.length() && isPrintable(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        var sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isPrintable(c)) {
                sb.append(c);
            } else {
                sb.append(c <= 0xFF ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean isPrintable(char c) {
        return c >= 0x20 && c < 0x7F;
    }
}
