package dev.zmq.robustness;

import dev.zmq.ZmqSocket;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.socket.SocketCore;
import java.util.Set;

/** Test access to a socket's pipes (there is no public handle on them), to look at their queues. */
final class SocketPipes {
    private SocketPipes() {
    }

    /** A copy of the socket's pipes; null if it changed while being copied (look again). */
    @SuppressWarnings("unchecked")
    static Set<Pipe> of(ZmqSocket socket) {
        try {
            var pipesField = SocketCore.class.getDeclaredField("pipes");
            pipesField.setAccessible(true);
            var pipeSet = pipesField.get(socket);
            var set = pipeSet.getClass().getDeclaredField("pipes");
            set.setAccessible(true);
            return Set.copyOf((Set<Pipe>) set.get(pipeSet));
        } catch (java.util.ConcurrentModificationException e) {
            return null; // attached this instant (the set is the socket's, changed under its lock)
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
