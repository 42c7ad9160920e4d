package dev.zmq.internal.transport.pgm;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * The address of an {@code epgm://} endpoint, {@code interface;group:port} as in libzmq: the
 * interface by name ({@code eth0}) or IPv4 address ({@code 192.168.1.2}), an IPv4 multicast group
 * and the UDP port, which is both the data port of the PGM session and the UDP encapsulation port.
 *
 * @param nic the interface multicast is sent and received on
 * @param interfaceAddress its IPv4 address: the source's NLA, where receivers send NAKs
 * @param group the multicast group
 * @param port the port
 */
public record PgmAddress(NetworkInterface nic, Inet4Address interfaceAddress, Inet4Address group, int port) {

    /** Parses what follows {@code epgm://}; EINVAL with the reason if it is not usable. */
    public static PgmAddress parse(String address) {
        String example = " (expected interface;group:port, e.g. epgm://eth0;239.192.1.1:5555)";
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
        Inet4Address group = literalIpv4(groupText);
        if (group == null || !group.isMulticastAddress()) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': '" + groupText
                    + "' is not an IPv4 multicast group (224.0.0.0 to 239.255.255.255)" + example);
        }
        try {
            NetworkInterface nic;
            Inet4Address local;
            Inet4Address literal = literalIpv4(iface);
            if (literal != null) {
                nic = NetworkInterface.getByInetAddress(literal);
                local = literal;
                if (nic == null) {
                    throw new ZmqException(ZmqError.EADDRNOTAVAIL, "epgm address '" + address + "': no local interface has the address " + iface);
                }
            } else {
                nic = NetworkInterface.getByName(iface);
                if (nic == null) {
                    throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': no network interface named '" + iface
                            + "' (give an interface name or one of its IPv4 addresses)");
                }
                local = nic.inetAddresses().filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast).findFirst()
                        .orElseThrow(() -> new ZmqException(ZmqError.EADDRNOTAVAIL, "epgm address '" + address + "': interface '" + iface
                                + "' has no IPv4 address"));
            }
            if (!nic.isUp()) {
                throw new ZmqException(ZmqError.EADDRNOTAVAIL, "epgm address '" + address + "': interface '" + nic.getName() + "' is down");
            }
            return new PgmAddress(nic, local, group, port);
        } catch (SocketException e) {
            throw new ZmqException(ZmqError.EINVAL, "epgm address '" + address + "': cannot look up the interface: " + e.getMessage(), e);
        }
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
