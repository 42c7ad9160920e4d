package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Takes whole messages from the peers in turn, so no peer can starve the others (libzmq's fq_t). */
final class FairQueue {
    private final List<Pipe> pipes = new ArrayList<>();
    private int next;
    private Pipe lastPipe;
    /** The one pipe when there is exactly one (the common case: one peer), else null. */
    private Pipe single;

    void add(Pipe pipe) {
        pipes.add(pipe);
        setSingle(pipes.size() == 1 ? pipe : null);
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
        setSingle(pipes.size() == 1 ? pipes.get(0) : null);
    }

    /**
     * With one peer, every message comes from it: {@link #lastPipe} is that peer from now on, so
     * {@link #pollFrame} need not write it (or test whether to).
     */
    private void setSingle(Pipe pipe) {
        single = pipe;
        if (pipe != null) {
            lastPipe = pipe;
        }
    }

    /**
     * The next message from the next peer that has one, or null. With one peer there is no turn to
     * take, and {@link #lastPipe} is that peer already (see {@link #setSingle}): that case is small
     * enough for C1 to inline, so the receive path is not one more compilation unit (and one more C2
     * compile) of its own.
     */
    Message poll() {
        var p = single;
        return p != null ? p.pollIn() : pollInTurn();
    }

    /**
     * As {@link #poll()}, but a one-frame message may come as its bare frame ({@link Pipe#pollInFrame}).
     * With one pipe the socket usually takes from it itself ({@link Pattern#solePipe}); this serves
     * it while a departed pipe waits to be read empty, and the sockets with several pipes.
     * 21 bytes of bytecode, so C1 inlines it into the socket's general receive path.
     */
    Object pollFrame() {
        var p = single; // lastPipe already (see setSingle)
        return p != null ? p.pollInFrame() : pollFrameInTurn();
    }

    /**
     * {@link #pollFrame()} for a receiver that waited (see {@code Pattern.tryRecvFrameAfterWait}): the
     * same steps in a method of its own, which the compiled receive path does not inline. It calls
     * only methods that path calls out of line (compiled on their own anyway).
     */
    Object pollFrameAfterWait() {
        var p = single;
        return p != null ? p.pollInFrame() : pollFrameInTurn();
    }

    /** {@link #poll()} over several peers (or none), taking them in turn. */
    private Message pollInTurn() {
        int n = pipes.size();
        // The rotation wraps by comparison, not %: an integer division per message costs more than the rest of the turn.
        for (int i = 0, idx = next; i < n; i++, idx++) {
            if (idx >= n) {
                idx = 0;
            }
            var p = pipes.get(idx);
            var m = p.pollIn();
            if (m != null) {
                next = idx + 1 < n ? idx + 1 : 0;
                lastPipe = p;
                return m;
            }
        }
        return null;
    }

    /**
     * {@link #pollFrame()} over several peers (or none), taking them in turn as {@link #pollInTurn}
     * does: a method of its own, as {@link #pollFrame} is of {@link #poll}, so that each receive
     * path compiles only what it calls.
     */
    private Object pollFrameInTurn() {
        int n = pipes.size();
        for (int i = 0, idx = next; i < n; i++, idx++) {
            if (idx >= n) {
                idx = 0;
            }
            var p = pipes.get(idx);
            var m = p.pollInFrame();
            if (m != null) {
                next = idx + 1 < n ? idx + 1 : 0;
                lastPipe = p;
                return m;
            }
        }
        return null;
    }

    /**
     * The next message that {@code wanted} accepts, from the next peer that has one, or null; the
     * unwanted ones taken on the way are discarded and counted (SUB's and DISH's filtering).
     */
    Message poll(Predicate<Message> wanted, DropCounter drops) {
        Message m;
        while ((m = poll()) != null) {
            if (wanted.test(m)) {
                return m;
            }
            drops.discardedIn(1);
        }
        return null;
    }

    /**
     * Whether some peer has a message that {@code wanted} accepts. Discards (and counts) the unwanted
     * ones at the heads of the queues on the way, so "readable" means a wanted message is there.
     */
    boolean hasIn(Predicate<Message> wanted, DropCounter drops) {
        for (int i = 0, n = pipes.size(); i < n; i++) {
            var p = pipes.get(i);
            Message head;
            while ((head = p.peekIn()) != null) {
                if (wanted.test(head)) {
                    return true;
                }
                p.pollIn();
                drops.discardedIn(1);
            }
        }
        return false;
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

    /** The one pipe when there is exactly one, else null (see {@link Pattern#solePipe}). */
    Pipe single() {
        return single;
    }

    /** The pipes, for patterns that inspect them. */
    List<Pipe> pipes() {
        return pipes;
    }

    /** The frame of the last one-frame message taken goes back to its pipe (see {@link Pattern#recycle}). */
    void recycle(byte[] frame) {
        var p = lastPipe;
        if (p != null) {
            p.recycleIn(frame);
        }
    }

    /** The pipe the last message returned by {@link #poll()} came from. */
    Pipe lastPipe() {
        return lastPipe;
    }
}
