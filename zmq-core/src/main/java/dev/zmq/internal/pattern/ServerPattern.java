package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import java.util.HashMap;
import java.util.Map;

/**
 * SERVER (RFC 41, libzmq's server.cpp) and PEER (RFC 51, peer.cpp, a SERVER that also connects):
 * every peer gets a 32-bit routing id when its pipe is attached (counting up from a random start,
 * never 0); a received message carries its peer's id ({@link Message#routingId()}), and a sent
 * message goes to the peer whose id it carries: EHOSTUNREACH if there is none, a wait (EAGAIN) if
 * that peer has no room. Single-frame messages only.
 */
final class ServerPattern implements Pattern {
    private final SocketType type;
    private final FairQueue fq = new FairQueue();
    private final Map<Integer, Pipe> byId = new HashMap<>();
    private final Map<Pipe, Integer> idOf = new HashMap<>();
    private final DropCounter drops;
    private int nextId = java.util.concurrent.ThreadLocalRandom.current().nextInt();
    /** PEER: the id given to the pipe the calling thread attached last (connect attaches on the caller's thread). */
    private final ThreadLocal<Integer> attachedByThisThread = new ThreadLocal<>();

    ServerPattern(SocketType type, DropCounter drops) {
        this.type = type;
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        int id;
        do {
            id = nextId++;
        } while (id == 0 || byId.containsKey(id)); // never 0, as libzmq
        byId.put(id, pipe);
        idOf.put(pipe, id);
        fq.add(pipe);
        attachedByThisThread.set(id);
        return true;
    }

    @Override
    public int routingIdAttachedByThisThread() {
        var id = attachedByThisThread.get();
        attachedByThisThread.remove();
        return id == null ? 0 : id;
    }

    @Override
    public void peerGone(Pipe pipe) {
        var id = idOf.get(pipe);
        if (id != null) {
            byId.remove(id, pipe); // unroutable now; what it sent stays readable
        }
    }

    @Override
    public void detach(Pipe pipe) {
        fq.remove(pipe);
        var id = idOf.remove(pipe);
        if (id != null) {
            byId.remove(id, pipe);
        }
    }

    @Override
    public boolean trySend(Message message) {
        SingleFrame.checkSend(type, message);
        int id = message.routingId();
        var pipe = byId.get(id);
        if (pipe == null) {
            throw new ZmqException(ZmqError.EHOSTUNREACH, "no peer with routing id " + Integer.toUnsignedString(id) + " on this "
                    + type + " socket: reply with the routing id of a received message (Message.withRoutingId)");
        }
        if (!pipe.hasRoomOut()) {
            return false;
        }
        pipe.pushOut(message.withRoutingId(0)); // as libzmq resets it: an inproc peer sees its own ids only
        return true;
    }

    @Override
    public Message tryRecv() {
        var m = SingleFrame.poll(fq, drops);
        return m == null ? null : m.withRoutingId(idOf.get(fq.lastPipe()));
    }

    @Override
    public boolean hasIn() {
        return SingleFrame.hasIn(fq, drops);
    }

    /** As libzmq: always writable; whether a send succeeds depends on the peer it names. */
    @Override
    public boolean hasOut() {
        return true;
    }
}
