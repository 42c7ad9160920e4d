package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.internal.pipe.Pipe;
import java.util.ArrayList;
import java.util.List;

/** Takes whole messages from the peers in turn, so no peer can starve the others (libzmq's fq_t). */
final class FairQueue {
    private final List<Pipe> pipes = new ArrayList<>();
    private int next;
    private Pipe lastPipe;

    void add(Pipe pipe) {
        pipes.add(pipe);
    }

    void remove(Pipe pipe) {
        int i = pipes.indexOf(pipe);
        if (i >= 0) {
            pipes.remove(i);
            if (next > i) {
                next--;
            }
            if (next >= pipes.size()) {
                next = 0;
            }
        }
        if (lastPipe == pipe) {
            lastPipe = null;
        }
    }

    /** The next message from the next peer that has one, or null. */
    Message poll() {
        int n = pipes.size();
        for (int i = 0; i < n; i++) {
            int idx = (next + i) % n;
            var p = pipes.get(idx);
            var m = p.pollIn();
            if (m != null) {
                next = (idx + 1) % n;
                lastPipe = p;
                return m;
            }
        }
        return null;
    }

    /** Whether some peer has a message waiting. */
    boolean hasIn() {
        for (int i = 0, n = pipes.size(); i < n; i++) {
            if (pipes.get(i).hasIn()) {
                return true;
            }
        }
        return false;
    }

    /** The pipes, for patterns that inspect them. */
    List<Pipe> pipes() {
        return pipes;
    }

    /** The pipe the last message returned by {@link #poll()} came from. */
    Pipe lastPipe() {
        return lastPipe;
    }
}
