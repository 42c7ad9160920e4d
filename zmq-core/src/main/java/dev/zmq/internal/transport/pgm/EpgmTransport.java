package dev.zmq.internal.transport.pgm;

import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.session.SessionHost;
import dev.zmq.internal.transport.DatagramTransport;
import dev.zmq.internal.transport.Endpoint;
import java.util.function.Supplier;

/**
 * {@code epgm://}, PGM over UDP: as in libzmq, bind and connect are the same (both join the
 * group); each endpoint is one {@link PgmSession}.
 */
public final class EpgmTransport implements DatagramTransport {
    private final Supplier<IoThread> ioThreads;

    /** {@code ioThreads} hands out the context's I/O threads (an epgm endpoint does not follow AFFINITY). */
    public EpgmTransport(Supplier<IoThread> ioThreads) {
        this.ioThreads = ioThreads;
    }

    @Override
    public String scheme() {
        return "epgm";
    }

    @Override
    public Opened open(SessionHost socket, Endpoint endpoint, boolean bind) {
        return new Opened(PgmSession.open(socket, ioThreads.get(), endpoint.text(), endpoint.address()), endpoint.text());
    }

    /** Why {@code pgm://} is refused, and what to use instead, for an endpoint with {@code address}. */
    public static String rawPgmRefused(String address) {
        return "pgm:// (PGM straight over IP) needs raw sockets, which Java cannot open; use epgm:// (PGM over UDP, which"
                + " libzmq peers speak too), e.g. epgm://" + address.replace("://", "");
    }
}
