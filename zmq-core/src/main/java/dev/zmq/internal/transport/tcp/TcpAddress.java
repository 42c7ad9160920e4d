package dev.zmq.internal.transport.tcp;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.transport.Endpoint;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The address part of a {@code tcp://} endpoint: {@code host:port}, where host is a name, an IPv4
 * address, {@code [ipv6]} or {@code *} (bind only), and port is a number or {@code *} (bind only,
 * an ephemeral port).
 *
 * @param host the host as written, without brackets
 * @param port the port, 0 for an ephemeral port
 * @param endpoint the endpoint text, for messages
 */
public record TcpAddress(String host, int port, String endpoint) {

    public static TcpAddress parse(Endpoint endpoint, boolean forBind) {
        var address = endpoint.address();
        var text = endpoint.text();
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text + "': missing :port (e.g. tcp://127.0.0.1:5555)");
        }
        var host = address.substring(0, colon);
        var portText = address.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text + "': unbalanced [ ] around the IPv6 address");
            }
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text + "': missing host (use * to bind on every interface)");
        }
        int port;
        if (portText.equals("*")) {
            port = 0;
        } else {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text + "': port '" + portText
                        + "' is not a number (or * for an ephemeral port when binding)");
            }
            if (port < 0 || port > 65535) {
                throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + text + "': port " + port + " is outside 0-65535");
            }
        }
        if (!forBind) {
            if (host.equals("*")) {
                throw new ZmqException(ZmqError.EINVAL, "cannot connect to '" + text + "': * is only valid when binding; name a host");
            }
            if (port == 0) {
                throw new ZmqException(ZmqError.EINVAL, "cannot connect to '" + text + "': give the peer's port (* and 0 are only valid when binding)");
            }
        }
        return new TcpAddress(host, port, text);
    }

    /** Whether the host is an IPv4 address in dotted-quad form (its resolution is the same every time). */
    public boolean isIpv4Literal() {
        return IPV4.matcher(host).matches();
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** Resolves to a socket address; {@code *} is every interface (dual-stack when IPv6 is on). */
    public InetSocketAddress resolve(boolean ipv6) {
        if (host.equals("*")) {
            try {
                return new InetSocketAddress(InetAddress.getByName(ipv6 ? "::" : "0.0.0.0"), port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            var all = InetAddress.getAllByName(host);
            InetAddress chosen = null;
            for (var a : all) {
                if (a instanceof Inet4Address) {
                    chosen = a;
                    break;
                }
            }
            if (chosen == null) {
                for (var a : all) {
                    if (a instanceof Inet6Address && ipv6) {
                        chosen = a;
                        break;
                    }
                }
            }
            if (chosen == null) {
                if (all.length > 0 && all[0] instanceof Inet6Address && host.contains(":")) {
                    throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "' is an IPv6 address; set the IPV6 socket option to use it");
                }
                throw new ZmqException(ZmqError.EADDRNOTAVAIL, "no usable address for host '" + host + "' in '" + endpoint + "'");
            }
            return new InetSocketAddress(chosen, port);
        } catch (UnknownHostException e) {
            throw new ZmqException(ZmqError.EINVAL, "cannot resolve host '" + host + "' in endpoint '" + endpoint + "'", e);
        }
    }

    /** The endpoint text for a bound or connected socket address, as libzmq prints it. */
    public static String format(InetSocketAddress address) {
        var ip = address.getAddress();
        var host = ip instanceof Inet6Address ? "[" + stripScope(ip.getHostAddress()) + "]" : ip.getHostAddress();
        if (ip instanceof Inet6Address && ip.isAnyLocalAddress()) {
            host = "[::]";
        }
        // A StringBuilder, not a concatenation: the first concatenation of a shape spins its method
        // handles (five LambdaForms, ~3 ms cold), and a connecting socket formats its peer here on
        // the I/O thread before the TCP connect is even issued, inside a latency tool's window.
        return new StringBuilder(24).append("tcp://").append(host).append(':').append(address.getPort()).toString();
    }

    private static String stripScope(String s) {
        int pct = s.indexOf('%');
        var v = pct >= 0 ? s.substring(0, pct) : s;
        return v.equals("0:0:0:0:0:0:0:1") ? "::1" : v;
    }
}
