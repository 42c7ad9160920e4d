package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.options.Options;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * ROUTER (RFC 28): every received message is prefixed with the routing id of the peer it came
 * from; every sent message starts with the routing id of the peer it goes to. A peer's id is the
 * Identity it announced, or a generated 5-byte id starting with a zero byte (as libzmq). A second
 * peer announcing an id already in use is refused (libzmq's default), or takes the id over with
 * ROUTER_HANDOVER.
 */
final class RouterPattern implements Pattern {
    private final Options options;
    private final FairQueue fq = new FairQueue();
    private final Map<ByteBuffer, Pipe> byId = new HashMap<>();
    private int nextGeneratedId = java.util.concurrent.ThreadLocalRandom.current().nextInt();

    private final DropCounter drops;

    RouterPattern(Options options, DropCounter drops) {
        this.options = options;
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        if (pipe.peerType() != null && !identify(pipe)) {
            return false;
        }
        fq.add(pipe);
        Probe.sendIfAsked(pipe, options);
        return true;
    }

    @Override
    public boolean identified(Pipe pipe) {
        byId.values().remove(pipe); // a reconnected peer may announce a different id
        return identify(pipe);
    }

    private boolean identify(Pipe pipe) {
        var announced = pipe.routingId();
        byte[] id;
        if (announced != null && announced.length > 0) {
            var holder = byId.get(ByteBuffer.wrap(announced));
            if (holder != null) {
                if (!options.flag(SocketOption.ROUTER_HANDOVER)) {
                    return false;
                }
                handOver(holder);
            }
            id = announced;
        } else {
            id = generatedId();
        }
        pipe.setRoutingId(id);
        byId.put(ByteBuffer.wrap(id), pipe);
        return true;
    }

    /**
     * ROUTER_HANDOVER, as libzmq: the peer holding an id a new connection announces gets a
     * generated id (what it already sent stays readable under that id) and its connection is closed.
     */
    private void handOver(Pipe holder) {
        byId.remove(ByteBuffer.wrap(holder.routingId()), holder);
        var id = generatedId();
        holder.setRoutingId(id);
        byId.put(ByteBuffer.wrap(id), holder);
        holder.endpoint().dropConnection("routing id taken over by a new connection (ROUTER_HANDOVER)");
    }

    private byte[] generatedId() {
        byte[] id;
        do {
            int n = nextGeneratedId++;
            id = new byte[] {0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        } while (byId.containsKey(ByteBuffer.wrap(id)));
        return id;
    }

    @Override
    public void peerGone(Pipe pipe) {
        var id = pipe.routingId();
        if (id != null) {
            byId.remove(ByteBuffer.wrap(id), pipe); // unroutable now; its last messages stay readable
        }
    }

    @Override
    public void detach(Pipe pipe) {
        fq.remove(pipe);
        var id = pipe.routingId();
        if (id != null) {
            byId.remove(ByteBuffer.wrap(id), pipe);
        }
    }

    @Override
    public boolean hasIn() {
        return fq.hasIn();
    }

    /**
     * As libzmq's router.cpp: a ROUTER is always writable (unroutable messages are dropped per
     * message), except with ROUTER_MANDATORY, where it is writable only while at least one peer
     * can take a message (zmq_setsockopt(3)), so a poll loop does not spin on sends that fail.
     */
    @Override
    public boolean hasOut() {
        if (!options.flag(SocketOption.ROUTER_MANDATORY)) {
            return true;
        }
        for (var pipe : byId.values()) {
            if (pipe.hasRoomOut()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Message tryRecv() {
        var m = fq.poll();
        return m == null ? null : m.prepend(fq.lastPipe().routingId());
    }

    @Override
    public boolean trySend(Message message) {
        var frames = Frames.unwrap(message);
        if (frames.length < 2) {
            // Deliberately stricter than libzmq, which drops such a message silently (README,
            // "Deliberate differences from libzmq"): it is a programming error worth reporting.
            throw new ZmqException(ZmqError.EINVAL,
                    "a ROUTER message needs the peer's routing id as first frame followed by at least one more frame");
        }
        var pipe = byId.get(ByteBuffer.wrap(frames[0]));
        boolean mandatory = options.flag(SocketOption.ROUTER_MANDATORY);
        if (pipe == null) {
            if (mandatory) {
                throw new ZmqException(ZmqError.EHOSTUNREACH,
                        "no peer with routing id " + HexFormat.of().formatHex(frames[0]) + " is connected (ROUTER_MANDATORY)");
            }
            drops.droppedOut();
            return true; // unroutable: dropped silently, as RFC 28 says
        }
        if (!pipe.hasRoomOut()) {
            // ROUTER_MANDATORY makes a full peer block the sender (EAGAIN); otherwise drop.
            if (mandatory) {
                return false;
            }
            drops.droppedOut();
            return true;
        }
        pipe.pushOut(message.dropFirst(1));
        return true;
    }
}
