package dev.zmq.interop;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.zeromq.ZContext;

/**
 * Creates the peer sockets of one test and, on {@link #close()}, closes them (newest first), then
 * the contexts it opened, continuing past failures. A session holds at most one JeroMQ context
 * (with one I/O thread, see {@link JeromqNudger}) and one of ours.
 */
final class PeerSession implements AutoCloseable {
    private final LibzmqHost libzmq;
    private final Deque<PeerSocket> sockets = new ArrayDeque<>();
    private ZmqContext ours;
    private ZContext jeromq;
    private JeromqNudger nudger;
    private volatile boolean closing;

    PeerSession(LibzmqHost libzmq) {
        this.libzmq = libzmq;
    }

    PeerSocket socket(Impl impl, SocketType type) {
        PeerSocket socket = switch (impl) {
            case OURS -> new OursPeer(oursContext(), type);
            case JEROMQ -> new JeromqPeer(jeromqContext(), type);
            case LIBZMQ -> new LibzmqPeer(libzmq.get(), type);
        };
        sockets.push(socket);
        return socket;
    }

    private ZmqContext oursContext() {
        if (ours == null) {
            ours = new ZmqContext();
        }
        return ours;
    }

    private ZContext jeromqContext() {
        if (jeromq == null) {
            jeromq = new ZContext(1);
            // JeroMQ prints stack traces from its I/O threads when a context is torn down while
            // term acks are in flight; keep them out of the test output, but not the ones before.
            Thread.UncaughtExceptionHandler quietWhenClosing = (thread, e) -> {
                if (!closing) {
                    System.err.println("JeroMQ " + thread.getName() + ": " + e);
                    e.printStackTrace();
                }
            };
            jeromq.setUncaughtExceptionHandler(quietWhenClosing);
            jeromq.setNotificationExceptionHandler(quietWhenClosing);
            nudger = new JeromqNudger(jeromq);
        }
        return jeromq;
    }

    @Override
    public void close() {
        closing = true;
        List<AutoCloseable> order = new ArrayList<>();
        order.add(nudger);
        order.addAll(sockets);
        sockets.clear();
        order.add(ours);
        order.add(jeromq);
        RuntimeException first = null;
        for (var resource : order) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
