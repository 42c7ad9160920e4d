package dev.zmq.internal.session;

import dev.zmq.NameResolver;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.internal.io.IoThread;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * A connect endpoint whose host name stands for several addresses (CONNECT_ALL_ADDRESSES): one
 * {@link ConnectingSession} per address, each with its own queue. The name is resolved on a lookup
 * thread (a {@link NameResolver} may block) at start, every RESOLVE_IVL, when a connection to one
 * of the addresses fails or is lost (at most once per {@link #FAILURE_LOOKUP_SPACING_MILLIS}), and
 * on {@link #refresh()}. New addresses get a session; the session of a vanished address is retired
 * by the socket as {@code disconnect} retires one (nothing new routed to it, what is queued drains
 * within LINGER). A failed lookup changes nothing. Lives on one I/O thread; the socket's lock
 * guards the maps the socket reads for statistics.
 */
public final class ResolvingConnector {
    /** The shortest time between two lookups caused by connection failures. */
    public static final long FAILURE_LOOKUP_SPACING_MILLIS = 1000;

    private final SessionHost socket;
    private final Registry registry;
    private final IoThread io;
    private final String endpoint;
    private final String host;
    private final int port;
    private final Function<InetSocketAddress, Dialer> dialerFor;
    private final Function<InetSocketAddress, String> format;
    private final NameResolver resolver;
    private final Executor lookups;
    /** Sessions of the addresses behind the name now, by address text; changed under the socket's lock. */
    private final Map<String, ConnectingSession> live = new ConcurrentHashMap<>();
    /** Sessions of vanished addresses still draining; changed under the socket's lock. */
    private final Set<ConnectingSession> retiring = ConcurrentHashMap.newKeySet();
    /** Set (under the socket's lock) by disconnect and close: no new sessions, no more lookups. */
    private volatile boolean stopped;
    // I/O thread only.
    private boolean lookupInFlight;
    private boolean lookupAgain;
    private long lastLookupNanos;
    private boolean looked;
    private IoThread.Timer timer;

    /**
     * What the transport found in a connect endpoint whose name may stand for several addresses.
     *
     * @param host the host name (or address) as written
     * @param port the endpoint's port
     * @param dialerFor a dialer that connects to one resolved address (from the endpoint's source address if any)
     * @param format an address as text, as monitor events and statistics name it
     */
    public record Target(String host, int port, Function<InetSocketAddress, Dialer> dialerFor,
                         Function<InetSocketAddress, String> format) {
    }

    /** The socket's endpoint bookkeeping, which keeps the sessions of the addresses found. */
    public interface Registry {
        /** Registers the session of an address found behind a name; false if the endpoint or socket is gone. */
        boolean addResolved(ResolvingConnector connector, String address, ConnectingSession session);

        /**
         * An address vanished from behind a name: nothing new is routed to it and its session
         * lingers until what is queued is delivered. False if it was not there.
         */
        boolean retireResolved(ResolvingConnector connector, String address);
    }

    public ResolvingConnector(SessionHost socket, Registry registry, IoThread io, String endpoint, Target target,
                              NameResolver resolver, Executor lookups) {
        this.socket = socket;
        this.registry = registry;
        this.io = io;
        this.endpoint = endpoint;
        this.host = target.host();
        this.port = target.port();
        this.dialerFor = target.dialerFor();
        this.format = target.format();
        this.resolver = resolver;
        this.lookups = lookups;
    }

    /** The endpoint as given to connect(). */
    public String endpoint() {
        return endpoint;
    }

    /** Sessions of the current addresses, by address. For the socket, under its lock. */
    public Map<String, ConnectingSession> live() {
        return live;
    }

    /** Sessions of vanished addresses still draining. For the socket, under its lock. */
    public Set<ConnectingSession> retiring() {
        return retiring;
    }

    /** Whether disconnect or close stopped this endpoint. */
    public boolean isStopped() {
        return stopped;
    }

    /** Stops following the name (call with the socket's lock held; the sessions are the socket's to end). */
    public void stop() {
        stopped = true;
        io.execute(() -> {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        });
    }

    /** Resolves the name for the first time. Safe from any thread. */
    public void start() {
        io.execute(this::lookup);
    }

    /** Resolves the name again now. Safe from any thread. */
    public void refresh() {
        io.execute(this::lookup);
    }

    /** A connection to one of the addresses failed or was lost: the name may have changed. Any thread. */
    private void connectionFailed() {
        io.execute(() -> {
            if (!looked || System.nanoTime() - lastLookupNanos >= FAILURE_LOOKUP_SPACING_MILLIS * 1_000_000L) {
                lookup();
            }
        });
    }

    private void lookup() {
        if (stopped) {
            return;
        }
        if (lookupInFlight) {
            lookupAgain = true; // a refresh asked during a lookup may be about a change the lookup missed
            return;
        }
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        lookupInFlight = true;
        looked = true;
        lastLookupNanos = System.nanoTime();
        try {
            lookups.execute(() -> {
                List<InetSocketAddress> found = null;
                Throwable error = null;
                try {
                    found = resolver.resolve(host, port);
                    if (found == null) {
                        error = new IllegalStateException("the NameResolver returned null");
                    }
                } catch (Exception | Error e) {
                    error = e;
                }
                var result = found;
                var failure = error;
                io.execute(() -> resolved(result, failure));
            });
        } catch (RejectedExecutionException e) {
            resolved(null, new IllegalStateException("no lookup thread available (context closing or too many lookups queued)"));
        }
    }

    private void resolved(List<InetSocketAddress> found, Throwable error) {
        lookupInFlight = false;
        if (stopped) {
            return;
        }
        if (error != null) {
            socket.emit(SocketEvent.Type.RESOLVE_FAILED, endpoint, null, 0, "cannot resolve '" + host + "': " + error);
        } else {
            apply(found);
        }
        if (lookupAgain) {
            lookupAgain = false;
            lookup();
            return;
        }
        int ivl = socket.options().integer(SocketOption.RESOLVE_IVL);
        if (ivl > 0 && !stopped) {
            timer = io.schedule(ivl, this::lookup);
        }
    }

    private void apply(List<InetSocketAddress> found) {
        boolean ipv6 = socket.options().flag(SocketOption.IPV6);
        var wanted = new LinkedHashMap<String, InetSocketAddress>();
        for (var a : found) {
            if (a == null || a.isUnresolved() || (a.getAddress() instanceof Inet6Address && !ipv6)) {
                continue; // as TcpAddress.resolve: IPv6 addresses only with the IPV6 option
            }
            wanted.putIfAbsent(format.apply(a), a);
        }
        for (var address : List.copyOf(live.keySet())) {
            if (!wanted.containsKey(address) && registry.retireResolved(this, address)) {
                socket.emit(SocketEvent.Type.ADDRESS_REMOVED, endpoint, address, 0, null);
            }
        }
        for (var e : wanted.entrySet()) {
            if (live.containsKey(e.getKey())) {
                continue;
            }
            var session = new ConnectingSession(socket, socket.nextIoThread(), endpoint, dialerFor.apply(e.getValue()), null,
                    e.getKey(), this::connectionFailed);
            if (!registry.addResolved(this, e.getKey(), session)) {
                session.ioThread().execute(session::terminate); // stopped meanwhile: give its pipe back
                return;
            }
            socket.emit(SocketEvent.Type.ADDRESS_ADDED, endpoint, e.getKey(), 0, null);
            session.start();
        }
    }
}
