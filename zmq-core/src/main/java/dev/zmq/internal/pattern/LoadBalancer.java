package dev.zmq.internal.pattern;

import dev.zmq.internal.pipe.Pipe;
import java.util.ArrayList;
import java.util.List;

/** Round-robin over the peers that have room, as libzmq's lb_t: a full peer is skipped, not waited for. */
final class LoadBalancer {
    private final List<Pipe> pipes = new ArrayList<>();
    private int next;
    /**
     * The only pipe while there is exactly one (a PUSH or DEALER with one peer), else null: {@link #pick}
     * then asks it alone, without the list (size, get and its index check: four interpreted calls per
     * message of a cold sender, whose first thousands of sends run in the interpreter).
     */
    private Pipe single;

    void add(Pipe pipe) {
        pipes.add(pipe);
        single = onlyPipe();
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
        single = onlyPipe();
    }

    private Pipe onlyPipe() {
        return pipes.size() == 1 ? pipes.get(0) : null;
    }

    /** The next pipe with room, advancing the rotation past it; null if every pipe is full or there is none. */
    Pipe pick() {
        var p = single;
        if (p != null) {
            return p.hasRoomOut() ? p : null; // the rotation of one pipe stays at 0
        }
        return pickInTurn();
    }

    /** {@link #pick} over several pipes (or none). */
    private Pipe pickInTurn() {
        int n = pipes.size();
        // The rotation wraps by comparison, not %: an integer division per message costs more than the rest of the turn.
        for (int i = 0, idx = next; i < n; i++, idx++) {
            if (idx >= n) {
                idx = 0;
            }
            var p = pipes.get(idx);
            if (p.hasRoomOut()) {
                next = idx + 1 < n ? idx + 1 : 0;
                return p;
            }
        }
        return null;
    }

    /**
     * Queues {@code message} on the next pipe with room ({@link #pick}); false if every pipe is full
     * or there is none. Small (18 bytes of bytecode), so C1 inlines it into a pattern's send.
     */
    boolean send(Object message) {
        var p = pick();
        if (p == null) {
            return false;
        }
        p.pushOut(message);
        return true;
    }

    /**
     * {@link #send}'s steps for a sender that waited for room (see {@link Pattern#trySendAnyAfterWait}):
     * it calls only {@link #pick} and {@link Pipe#pushOut}, which the send path calls out of line
     * while C1-compiled and C2 therefore compiles on their own anyway.
     */
    boolean sendAfterWait(Object message) {
        var p = pick();
        if (p == null) {
            return false;
        }
        p.pushOut(message);
        return true;
    }

    /** Whether some peer has room. */
    boolean hasRoom() {
        for (int i = 0, n = pipes.size(); i < n; i++) {
            if (pipes.get(i).hasRoomOut()) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return pipes.isEmpty();
    }
}
