package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.options.Options;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * STREAM (libzmq's stream.cpp): every connection gets a routing id when its pipe is attached (at
 * connect time for a connecting socket, so the id of a connect is known at once): CONNECT_ROUTING_ID
 * for a connect that set it, else a generated 5-byte id starting with a zero byte, which is also
 * left readable as the socket's ROUTING_ID, as libzmq does. The id stays the same across a
 * connecting socket's reconnections. Received messages are [routing id, data]; sent messages must be
 * [routing id, data], and [routing id, empty] closes that connection once what was queued for it
 * before is written.
 */
final class StreamPattern implements Pattern {
    private final Options options;
    private final FairQueue fq = new FairQueue();
    private final Map<ByteBuffer, Pipe> byId = new HashMap<>();
    /** Each pipe's id, kept here because a reconnection re-identifies the pipe without one. */
    private final Map<Pipe, byte[]> idOf = new HashMap<>();
    private int nextGeneratedId = java.util.concurrent.ThreadLocalRandom.current().nextInt();

    StreamPattern(Options options) {
        this.options = options;
    }

    @Override
    public boolean attach(Pipe pipe) {
        var id = pipe.routingId();
        if (id != null && id.length > 0) {
            if (byId.containsKey(ByteBuffer.wrap(id))) {
                return false; // libzmq asserts; a duplicate CONNECT_ROUTING_ID is refused here
            }
        } else {
            id = generatedId();
            options.setGeneratedRoutingId(id);
        }
        pipe.setRoutingId(id);
        byId.put(ByteBuffer.wrap(id), pipe);
        idOf.put(pipe, id);
        fq.add(pipe);
        return true;
    }

    @Override
    public boolean identified(Pipe pipe) {
        var id = idOf.get(pipe);
        if (id == null) {
            return false;
        }
        pipe.setRoutingId(id);
        byId.putIfAbsent(ByteBuffer.wrap(id), pipe);
        return true;
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
        var id = idOf.get(pipe);
        if (id != null) {
            byId.remove(ByteBuffer.wrap(id), pipe); // unroutable now; its last messages stay readable
        }
    }

    @Override
    public void detach(Pipe pipe) {
        fq.remove(pipe);
        var id = idOf.remove(pipe);
        if (id != null) {
            byId.remove(ByteBuffer.wrap(id), pipe);
        }
    }

    @Override
    public boolean hasIn() {
        return fq.hasIn();
    }

    /** As libzmq: always writable; whether a send succeeds depends on the peer it names. */
    @Override
    public boolean hasOut() {
        return true;
    }

    @Override
    public Message tryRecv() {
        var m = fq.poll();
        return m == null ? null : m.prepend(idOf.get(fq.lastPipe()));
    }

    @Override
    public boolean trySend(Message message) {
        var frames = Frames.unwrap(message);
        if (frames.length != 2) {
            // libzmq takes the frame after the id as the data and the next one as another id; a
            // whole message is refused here instead (README, "Deliberate differences").
            throw new ZmqException(ZmqError.EINVAL, "a STREAM message is exactly two frames, [routing id, data], got "
                    + frames.length + " frames; send each block of data as its own message");
        }
        var pipe = byId.get(ByteBuffer.wrap(frames[0]));
        if (pipe == null) {
            // As libzmq: always EHOSTUNREACH for an unknown id (no ROUTER_MANDATORY needed).
            throw new ZmqException(ZmqError.EHOSTUNREACH, "no connection with routing id "
                    + HexFormat.of().formatHex(frames[0]) + " on this STREAM socket");
        }
        if (frames[1].length == 0) {
            // The application closes this connection (libzmq: pipe terminate). What was queued
            // before is written first; nothing more is routed to it.
            byId.remove(ByteBuffer.wrap(frames[0]), pipe);
            pipe.stopTakingOut();
            pipe.endpoint().closeWhenWritten();
            return true;
        }
        if (!pipe.hasRoomOut()) {
            return false; // libzmq: EAGAIN; a blocking send waits for room
        }
        pipe.pushOut(message.dropFirst(1));
        return true;
    }
}
