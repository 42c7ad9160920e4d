package dev.zmq;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds every address behind a host name, for endpoints connected with
 * {@link SocketOption#CONNECT_ALL_ADDRESSES}. The default, {@link #system()}, asks the JDK
 * ({@link InetAddress#getAllByName(String)}: the operating system's resolver, /etc/hosts and DNS);
 * set another per socket with {@link ZmqSocket#setNameResolver(NameResolver)}, for example one
 * that asks a service registry, or a DNS server of your choice.
 *
 * <p>A resolver is called on a lookup thread of the context, never on an I/O thread, so it may
 * block; it should still return within seconds, since lookups of one endpoint do not overlap.
 *
 * <p>Note that the JDK caches successful lookups for 30 s by default (the security property
 * {@code networkaddress.cache.ttl}): {@link #system()} sees a change of the records no sooner.
 */
@FunctionalInterface
public interface NameResolver {

    /**
     * Every address {@code host} stands for now, each with the port to connect to: usually
     * {@code port} (the endpoint's), but a resolver may give each address its own (a registry
     * that knows each instance's port). An empty list means the name exists and has no address
     * now (a service scaled to zero): the socket disconnects from every address it had, after
     * their queues drain.
     *
     * @throws IOException when the answer is not known (DNS unreachable, no such name): the
     *         socket keeps the addresses it has and asks again later
     */
    List<InetSocketAddress> resolve(String host, int port) throws IOException;

    /** The JDK's resolver: {@link InetAddress#getAllByName(String)}, every A and AAAA record (and /etc/hosts). */
    static NameResolver system() {
        return (host, port) -> {
            var all = InetAddress.getAllByName(host);
            var out = new ArrayList<InetSocketAddress>(all.length);
            for (var a : all) {
                out.add(new InetSocketAddress(a, port));
            }
            return out;
        };
    }
}
