package dev.zmq.interop;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.util.ArrayDeque;
import java.util.Deque;
import org.zeromq.ZContext;

/**
 * Creates the peer sockets of one test and closes them all, then the contexts it opened, on
 * {@link #close()} (in reverse order, continuing past failures).
 */
final class PeerSession implements AutoCloseable {
    private final LibzmqHost libzmq;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private ZmqContext ours;
    private ZContext jeromq;

    PeerSession(LibzmqHost libzmq) {
        this.libzmq = libzmq;
    }

    PeerSocket socket(Impl impl, SocketType type) {
        PeerSocket socket = switch (impl) {
            case OURS -> new OursPeer(oursContext(), type);
            case JEROMQ -> new JeromqPeer(jeromqContext(), type);
            case LIBZMQ -> new LibzmqPeer(libzmq.get(), type);
        };
        resources.push(socket);
        return socket;
    }

    private ZmqContext oursContext() {
        if (ours == null) {
            ours = new ZmqContext();
            resources.addLast(ours);
        }
        return ours;
    }

    private ZContext jeromqContext() {
        if (jeromq == null) {
            jeromq = new ZContext(1);
            resources.addLast(jeromq);
        }
        return jeromq;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
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
