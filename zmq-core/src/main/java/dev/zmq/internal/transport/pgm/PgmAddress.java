package dev.zmq.internal.transport.pgm;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * The address of an {@code epgm://} endpoint, {@code interface;group:port} as in libzmq: the
 * interface by name ({@code eth0}) or address ({@code 192.168.1.2}, {@code [fd00::1]}), a multicast
 * group ({@code 239.192.1.1} or {@code [ff08::1]}) and the UDP port, which is both the data port of
 * the PGM session and the UDP encapsulation port. IPv6 as libzmq 4.3.4's OpenPGM takes it: the
 * addresses in brackets, and a group and an interface of the same family.
 *
 * @param nic the interface multicast is sent and received on
 * @param interfaceAddress its address in the group's family: the source's NLA, where receivers send NAKs
 * @param group the multicast group
 * @param port the port
 */
public record PgmAddress(NetworkInterface nic, InetAddress interfaceAddress, InetAddress group, int port) {

    /** Parses what follows {@code epgm://}; EINVAL with the reason if it is not usable. */
    public static PgmAddress parse(String address) {
        String example = " (expected interface;group:port, e.g. epgm://eth0;239.192.1.1:5555 or epgm://eth0;[ff08::1]:5555)";
        int semi = address.indexOf(';');
        int colon = address.lastIndexOf(':');
        if (semi <= 0 || colon < semi) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "' needs an interface, a multicast group and a port" + example);
        }
        String iface = address.substring(0, semi);
        String groupText = address.substring(semi + 1, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "' has no valid port (1..65535)" + example);
        }
        if (groupText.indexOf(',') >= 0 || groupText.indexOf(';') >= 0) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "' names several groups; one group per endpoint is supported");
        }
        InetAddress group = literal(groupText);
        if (group == null && groupText.indexOf(':') >= 0) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': an IPv6 group is written in brackets, e.g. [ff08::1]"
                    + example);
        }
        if (group == null || !group.isMulticastAddress()) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': '" + groupText
                    + "' is not a multicast group (IPv4 224.0.0.0 to 239.255.255.255, or IPv6 ff00::/8 in brackets)" + example);
        }
        boolean v6 = group instanceof Inet6Address;
        String family = v6 ? "IPv6" : "IPv4";
        try {
            NetworkInterface nic;
            InetAddress local;
            InetAddress literal = literal(iface.startsWith("[") || iface.indexOf(':') < 0 ? iface : "[" + iface + "]");
            if (literal != null) {
                if ((literal instanceof Inet6Address) != v6) {
                    throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': the interface address " + iface
                            + " is not " + family + " like the group " + groupText);
                }
                nic = NetworkInterface.getByInetAddress(literal);
                local = literal;
                if (nic == null) {
                    throw new ZmqException(ZmqError.EADDRNOTAVAIL, "epgm address '" + address + "': no local interface has the address " + iface);
                }
            } else {
                nic = NetworkInterface.getByName(iface);
                if (nic == null) {
                    throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': no network interface named '" + iface
                            + "' (give an interface name or one of its addresses)");
                }
                // An IPv6 source prefers a global or unique-local address to its link-local one, as its NLA.
                local = nic.inetAddresses().filter(a -> (a instanceof Inet6Address) == v6)
                        .min(java.util.Comparator.comparing(InetAddress::isLinkLocalAddress))
                        .orElseThrow(() -> new ZmqException(ZmqError.EADDRNOTAVAIL, "epgm address '" + address + "': interface '" + iface
                                + "' has no " + family + " address"));
            }
            if (!nic.isUp()) {
                throw new ZmqException(ZmqError.EADDRNOTAVAIL, "epgm address '" + address + "': interface '" + nic.getName() + "' is down");
            }
            return new PgmAddress(nic, local, group, port);
        } catch (SocketException e) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': cannot look up the interface: " + e.getMessage(), e);
        }
    }

    /** A dotted-quad IPv4 literal or a bracketed IPv6 literal, else null (never a DNS lookup). */
    private static InetAddress literal(String text) {
        if (text.length() > 2 && text.startsWith("[") && text.endsWith("]")) {
            var inner = text.substring(1, text.length() - 1);
            if (!inner.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')
                    || inner.indexOf(':') < 0) {
                return null;
            }
            try {
                // a literal with colons is parsed, never looked up
                return InetAddress.getByName(inner);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return literalIpv4(text);
    }

    /** The address if {@code text} is a dotted-quad IPv4 literal, else null (never a DNS lookup). */
    private static Inet4Address literalIpv4(String text) {
        var parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
