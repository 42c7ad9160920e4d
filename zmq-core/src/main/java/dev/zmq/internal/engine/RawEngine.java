package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.Frames;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;

/**
 * A STREAM socket's connection: no greeting, no framing, the peer's bytes as they come (libzmq's
 * raw_engine_t). Each read becomes a one-frame message; each outbound message's frames are written
 * as they are. With STREAM_NOTIFY an empty message announces the connection when it starts and again
 * when it ends on its own (not when our socket closes it), as libzmq's raw engine does.
 */
public final class RawEngine implements IoHandler, Engine {
    private static final System.Logger LOG = System.getLogger(RawEngine.class.getName());
    /** Messages taken from the pipe per lock acquisition. */
    private static final int DRAIN_BATCH = 256;
    /**
     * Bytes per read, hence the most one message holds: libzmq's raw engine reads 8 KiB at a time too
     * (in_batch_size). The I/O thread's read buffer is far larger (512 KiB, for ZMTP's many small frames), but
     * a STREAM message per read of that size would let RCVHWM messages pin about half a GiB per connection.
     */
    static final int MAX_READ_BYTES = 8192;
    /** Read rounds per readiness event, so one busy peer cannot starve the others. */
    private static final int READ_ROUNDS = 8;
    private static final byte[] EMPTY = new byte[0];

    private final IoThread io;
    private final SocketChannel channel;
    private final ZmtpEngine.Owner owner;
    private final ZmtpEngine.PipeAccess access;
    private final ZmtpEngine.Events events;
    private final String endpoint;
    private final String peerAddress;
    private final boolean notify;
    /** Peer-Address, as libzmq's raw engine attaches it to what it receives. */
    private final Map<String, String> properties;
    private final ArrayDeque<Message> outBatch = new ArrayDeque<>();
    private final ArrayList<Message> inBatch = new ArrayList<>();
    /** The frames of the message being written, the first one possibly written in part. */
    private final ArrayDeque<ByteBuffer> writing = new ArrayDeque<>();

    private SelectionKey key;
    private int interest;
    private Pipe pipe;
    private boolean active;
    private boolean closed;
    private boolean readPaused;
    private boolean closingOurselves;

    public RawEngine(IoThread io, SocketChannel channel, ZmtpEngine.Owner owner, ZmtpEngine.PipeAccess access,
                     ZmtpEngine.Events events, String endpoint, String peerAddress, boolean notify) {
        this.io = io;
        this.channel = channel;
        this.owner = owner;
        this.access = access;
        this.events = events;
        this.endpoint = endpoint;
        this.peerAddress = peerAddress;
        this.notify = notify;
        var ip = ConnectionProperties.ipOf(peerAddress);
        this.properties = ip.isEmpty() ? Map.of() : Map.of("Peer-Address", ip);
    }

    /** Registers the channel and attaches the pipe at once: there is no handshake. */
    @Override
    public void start(byte[] routingId) {
        try {
            channel.configureBlocking(false);
            interest = SelectionKey.OP_READ;
            key = io.register(channel, interest, this);
        } catch (IOException e) {
            close("cannot register connection: " + e.getMessage());
            return;
        }
        pipe = owner.onHandshake(this, SocketType.STREAM, null);
        if (pipe == null) {
            shutdown("peer refused by the STREAM socket");
            return;
        }
        active = true;
        events.emit(SocketEvent.Type.HANDSHAKE_SUCCEEDED, endpoint, peerAddress, 0, null);
        if (notify) {
            deliver(Frames.wrap(new byte[][] {EMPTY}, properties));
        }
        flush(); // a connecting socket may have queued data already
    }

    @Override
    public String peerAddress() {
        return peerAddress;
    }

    @Override
    public boolean isActive() {
        return active && !closed;
    }

    @Override
    public boolean outputIdle() {
        return writing.isEmpty() && outBatch.isEmpty();
    }

    @Override
    public ArrayDeque<Message> unsentMessages() {
        return outBatch;
    }

    @Override
    public boolean onFailure(Throwable t) {
        if (!closed) {
            try {
                events.internalError(t);
            } finally {
                close("internal error, connection closed: " + t);
            }
        }
        return false;
    }

    @Override
    public void onReady(SelectionKey k) {
        try {
            if (k.isReadable()) {
                readInput();
            }
            if (!closed && k.isValid() && k.isWritable()) {
                flush();
            }
        } catch (CancelledKeyException e) {
            close("connection closed");
        }
    }

    @Override
    public void onShutdown() {
        close("context terminated");
    }

    private void readInput() {
        var in = io.readBuffer(); // shared by the thread's connections: always left empty
        for (int round = 0; round < READ_ROUNDS && !closed && !readPaused; round++) {
            in.limit(Math.min(in.capacity(), MAX_READ_BYTES));
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                in.clear();
                close("read failed: " + e.getMessage());
                return;
            }
            if (n < 0) {
                in.clear();
                close("peer closed the connection");
                return;
            }
            if (n == 0) {
                return;
            }
            in.flip();
            var data = new byte[in.remaining()];
            in.get(data);
            in.clear();
            deliver(Frames.wrap(new byte[][] {data}, properties));
        }
    }

    private void deliver(Message message) {
        inBatch.add(message);
        boolean keepReading = access.deliver(pipe, inBatch);
        inBatch.clear();
        if (!keepReading && !closed) {
            readPaused = true;
            setInterest(interest & ~SelectionKey.OP_READ);
        }
    }

    @Override
    public void resumeReading() {
        if (!closed && readPaused) {
            readPaused = false;
            setInterest(interest | SelectionKey.OP_READ);
        }
    }

    @Override
    public void flush() {
        if (closed || !active) {
            return;
        }
        try {
            while (true) {
                if (writing.isEmpty()) {
                    var m = nextMessage();
                    if (m == null) {
                        break;
                    }
                    for (int i = 0, n = m.size(); i < n; i++) {
                        var frame = m.frame(i);
                        if (frame.length > 0) {
                            writing.add(ByteBuffer.wrap(frame));
                        }
                    }
                    continue;
                }
                var b = writing.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    setInterest(interest | SelectionKey.OP_WRITE);
                    return;
                }
                writing.poll();
            }
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
            return;
        }
        setInterest(interest & ~SelectionKey.OP_WRITE);
        owner.onOutputDrained(this);
    }

    private Message nextMessage() {
        var m = outBatch.poll();
        if (m == null) {
            access.drain(pipe, outBatch, DRAIN_BATCH);
            m = outBatch.poll();
        }
        return m;
    }

    @Override
    public void shutdown(String reason) {
        closingOurselves = true;
        close(reason);
    }

    /** Closes the connection now; the owner hears of it once. */
    private void close(String reason) {
        if (closed) {
            return;
        }
        boolean wasActive = active;
        if (!closingOurselves) {
            if (notify && pipe != null && wasActive) {
                deliver(Frames.wrap(new byte[][] {EMPTY}, properties)); // the disconnection, as libzmq's raw_engine_t::error
            }
            events.emit(SocketEvent.Type.DISCONNECTED, endpoint, peerAddress, 0, reason);
        }
        closed = true;
        writing.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already going
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "raw connection with " + peerAddress + " closed: " + ConnectionProperties.printable(reason));
        owner.onClosed(this, reason, wasActive);
    }

    private void setInterest(int ops) {
        if (ops != interest && key != null && key.isValid()) {
            interest = ops;
            key.interestOps(ops);
        }
    }
}
