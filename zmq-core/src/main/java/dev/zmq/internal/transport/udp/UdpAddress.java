package dev.zmq.internal.transport.udp;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.regex.Pattern;

/**
 * The address of a {@code udp://} endpoint, read as libzmq's udp_address.cpp reads it:
 * {@code [interface;]host:port}.
 *
 * <ul>
 *   <li>Without an interface, a multicast host is the group (bound on any address, joined on the
 *       default multicast interface); a unicast host is, when binding, the local address to bind
 *       ({@code *} for any) and, when connecting, where datagrams go (a name is looked up then).</li>
 *   <li>With an interface ({@code *}, an address or a NIC name such as {@code eth0}, never a name to
 *       look up), the host must be a multicast group: the interface is where the group is joined
 *       (binding) or where datagrams leave (connecting). libzmq refuses anything else with EINVAL.</li>
 * </ul>
 *
 * @param target where datagrams go (connect), or the unicast address to bind or the group to join (bind)
 * @param multicast whether {@link #target} is a multicast group
 * @param nic the interface named before {@code ;}, or null when none was named or it was {@code *}
 * @param interfaceAddress the address named (or the first IPv4 address of the NIC named) before {@code ;}, or null
 */
public record UdpAddress(InetSocketAddress target, boolean multicast, NetworkInterface nic, InetAddress interfaceAddress) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Parses {@code text} (what follows {@code udp://}) for binding or connecting; EINVAL or
     * EADDRNOTAVAIL naming the problem. IPv6 addresses need {@code ipv6} (the IPV6 option), as in
     * libzmq and this library's tcp; a name looked up gives its first IPv4 address unless it is set.
     */
    public static UdpAddress parse(String text, boolean bind, boolean ipv6) {
        var endpoint = "udp://" + text;
        int semi = text.lastIndexOf(';');
        String iface = semi >= 0 ? text.substring(0, semi) : null;
        var hostPort = semi >= 0 ? text.substring(semi + 1) : text;
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw invalid(endpoint, "expected host:port, e.g. udp://127.0.0.1:5555, udp://*:5555 (bind) or udp://eth0;239.0.0.1:5555");
        }
        var host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = port(endpoint, hostPort.substring(colon + 1), bind);

        NetworkInterface nic = null;
        InetAddress interfaceAddress = null;
        if (iface != null) {
            if (iface.isEmpty()) {
                throw invalid(endpoint, "the interface before ';' is empty: name one (eth0, 192.168.1.2) or use *");
            }
            if (!iface.equals("*")) {
                // An interface named by its name stands for its address of the group's family, so
                // eth0;[ff08::1]:5555 works as libzmq's does with the IPV6 option (libzmq picks the
                // family from that option alone; the group's family serves IPv4 groups as well).
                boolean groupIpv6 = isLiteral(host) ? host.contains(":") : ipv6;
                var local = localInterface(endpoint, iface, groupIpv6);
                nic = local.nic();
                interfaceAddress = local.address();
                if (interfaceAddress.isMulticastAddress()) {
                    throw invalid(endpoint, "the interface '" + iface + "' is a multicast address; name a local interface or address");
                }
            }
        }

        InetAddress address;
        if (host.equals("*")) {
            if (!bind) {
                throw invalid(endpoint, "cannot send to '*': name the host or multicast group, e.g. udp://127.0.0.1:5555");
            }
            address = null;
        } else if (isLiteral(host)) {
            address = literal(endpoint, host);
        } else if (bind) {
            // As libzmq: a bind names an address or an interface, never a name to look up.
            var local = localInterface(endpoint, host, false);
            address = local.address();
        } else {
            var name = host;
            try {
                var all = InetAddress.getAllByName(name);
                address = java.util.Arrays.stream(all).filter(a -> ipv6 || a instanceof Inet4Address).findFirst()
                        .orElseThrow(() -> invalid(endpoint, "host '" + name + "' has IPv6 addresses only; set the IPV6 socket option to use them"));
            } catch (UnknownHostException e) {
                throw invalid(endpoint, "cannot resolve host '" + host + "'");
            }
        }
        if (!ipv6 && (address instanceof java.net.Inet6Address || interfaceAddress instanceof java.net.Inet6Address)) {
            throw invalid(endpoint, "it is an IPv6 address; set the IPV6 socket option to use it");
        }
        boolean multicast = address != null && address.isMulticastAddress();
        if (iface != null && !multicast) {
            throw invalid(endpoint, "an interface (the part before ';') is only for multicast groups, and '" + host
                    + "' is not one; drop the interface for unicast, e.g. udp://" + hostPort);
        }
        if (interfaceAddress != null && address != null && interfaceAddress.getClass() != address.getClass()) {
            throw invalid(endpoint, "the interface and the group are of different address families (IPv4 and IPv6)");
        }
        var target = address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        return new UdpAddress(target, multicast, nic, interfaceAddress);
    }

    /** Whether the group or destination is IPv6. */
    public boolean ipv6() {
        return target.getAddress() != null && !(target.getAddress() instanceof Inet4Address);
    }

    /**
     * The interface to join a multicast group on: the one named, else the first one that is up and
     * takes multicast (a non-loopback one first). libzmq joins with INADDR_ANY and lets the kernel
     * pick by route; Java has to name an interface.
     */
    public NetworkInterface joinInterface(String endpoint) {
        if (nic != null) {
            return nic;
        }
        try {
            NetworkInterface loopback = null;
            for (var n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!n.isUp() || !n.supportsMulticast()) {
                    continue;
                }
                if (!n.isLoopback()) {
                    return n;
                }
                loopback = loopback == null ? n : loopback;
            }
            if (loopback != null) {
                return loopback;
            }
        } catch (SocketException e) {
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot list network interfaces for '" + endpoint + "': " + e.getMessage(), e);
        }
        throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot join the multicast group of '" + endpoint
                + "': no network interface is up with multicast on; name one, e.g. udp://eth0;" + target.getHostString() + ":"
                + target.getPort());
    }

    private static int port(String endpoint, String text, boolean bind) {
        if (text.equals("*")) {
            if (!bind) {
                throw invalid(endpoint, "cannot send to port '*': name the port the DISH binds");
            }
            return 0;
        }
        try {
            int port = Integer.parseInt(text);
            if (port < (bind ? 0 : 1) || port > 65535) {
                throw invalid(endpoint, "port " + port + " is out of range (" + (bind ? 0 : 1) + " to 65535)");
            }
            return port;
        } catch (NumberFormatException e) {
            throw invalid(endpoint, "'" + text + "' is not a port number" + (bind ? " (use * for an ephemeral port)" : ""));
        }
    }

    private static boolean isLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    private static InetAddress literal(String endpoint, String host) {
        if (host.indexOf(':') < 0) {
            var v4 = dev.zmq.internal.DatagramAddress.ipv4(host);
            if (v4 == null) {
                throw invalid(endpoint, "'" + host + "' is not a valid IPv4 address");
            }
            return v4;
        }
        try {
            return InetAddress.getByName(host); // an IPv6 literal (it has ':'): no lookup happens
        } catch (UnknownHostException e) {
            throw invalid(endpoint, "'" + host + "' is not a valid IP address");
        }
    }

    private record Local(NetworkInterface nic, InetAddress address) {
    }

    /** An interface named by address or by NIC name, with its address (a NIC's first IPv4 one, else its first). */
    /** The interface {@code name} (an address or a NIC name: then its address of the preferred family, if it has one). */
    private static Local localInterface(String endpoint, String name, boolean preferIpv6) {
        try {
            if (isLiteral(name)) {
                var address = literal(endpoint, name);
                var nic = NetworkInterface.getByInetAddress(address);
                if (nic == null && !address.isAnyLocalAddress() && !address.isMulticastAddress()) {
                    throw new ZmqException(ZmqError.EADDRNOTAVAIL, "invalid endpoint '" + endpoint + "': " + name
                            + " is not an address of this host; name a local address or interface");
                }
                return new Local(nic, address);
            }
            var nic = NetworkInterface.getByName(name);
            if (nic == null) {
                throw new ZmqException(ZmqError.EADDRNOTAVAIL, "invalid endpoint '" + endpoint + "': there is no network interface '"
                        + name + "' (and interfaces are not looked up by host name); name a local interface or address");
            }
            var addresses = Collections.list(nic.getInetAddresses());
            var address = addresses.stream().filter(a -> (a instanceof Inet4Address) != preferIpv6)
                    .min(java.util.Comparator.comparing(InetAddress::isLinkLocalAddress)) // a global IPv6 address before fe80::
                    .or(() -> addresses.stream().findFirst())
                    .orElseThrow(() -> new ZmqException(ZmqError.EADDRNOTAVAIL, "invalid endpoint '" + endpoint + "': interface '"
                            + name + "' has no address"));
            return new Local(nic, address);
        } catch (IOException e) {
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "invalid endpoint '" + endpoint + "': cannot look at interface '" + name
                    + "': " + e.getMessage(), e);
        }
    }

    private static ZmqException invalid(String endpoint, String why) {
        return new ZmqException(ZmqError.EINVAL, "invalid udp endpoint '" + endpoint + "': " + why);
    }
}
