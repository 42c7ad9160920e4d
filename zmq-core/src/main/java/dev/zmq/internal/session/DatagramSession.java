package dev.zmq.internal.session;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * A session over one UDP socket that stands for every peer behind its endpoint (udp, epgm): no ZMTP
 * engine, no handshake. It holds what such a session does whatever its protocol: watching the socket
 * on its I/O thread, pumping when the pipe or the selector says so, reading in batches and pausing at
 * RCVHWM (datagrams have no flow control: what the kernel cannot hold meanwhile is lost), and closing
 * its socket. The subclass sends and decodes.
 */
public abstract class DatagramSession extends Session implements IoHandler {
    /** The most datagrams read in one go, so a busy receiver does not keep its I/O thread from the others. */
    protected static final int READ_BATCH = 256;

    /** The subclass's logger, so its lines keep their logger name. */
    private final System.Logger log;
    /** For log lines and errors: {@code udp} or {@code epgm}. */
    private final String scheme;
    /** The endpoint, as given or (udp) with the real port bound. */
    protected final String endpoint;
    /** The socket datagrams arrive on (and leave from, unless the subclass has a second one). */
    protected final DatagramChannel channel;
    /** The datagram just received; room for the largest UDP payload. */
    protected final ByteBuffer readBuffer = ByteBuffer.allocate(65536);
    /** Messages taken from the pipe, not sent yet. */
    protected final ArrayDeque<Message> drained = new ArrayDeque<>();
    /** Messages received, not handed to the socket yet. */
    protected final ArrayList<Message> batch = new ArrayList<>();
    private final Runnable pumpTask = this::pump;
    /** The socket's key in the I/O thread's selector; null until {@link #register} succeeded. */
    protected SelectionKey key;
    /** RCVHWM was reached: not reading until the application catches up. */
    protected boolean readPaused;

    /**
     * @param log the subclass's logger
     * @param scheme {@code udp} or {@code epgm}, for log lines and errors
     * @param endpoint the endpoint as the socket knows it
     * @param channel the opened, non-blocking socket, closed with the session
     */
    protected DatagramSession(SessionHost host, IoThread io, System.Logger log, String scheme, String endpoint, DatagramChannel channel) {
        super(host, io);
        this.log = log;
        this.scheme = scheme;
        this.endpoint = endpoint;
        this.channel = channel;
    }

    /**
     * Asks for a roomy receive buffer unless RCVBUF says otherwise: datagrams come as fast as senders
     * send, with no flow control (the kernel caps the size at net.core.rmem_max).
     *
     * @param receives whether the socket receives anything (a udp RADIO does not)
     */
    protected static void applyBuffers(DatagramChannel channel, int sndbuf, int rcvbuf, boolean receives) throws IOException {
        if (sndbuf >= 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, Math.max(sndbuf, 1));
        }
        if (rcvbuf >= 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, Math.max(rcvbuf, 1));
        } else if (receives && channel.getOption(StandardSocketOptions.SO_RCVBUF) < 1 << 20) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        }
    }

    /** The endpoint, as given or (udp) with the real port when an ephemeral one was bound. */
    public String endpoint() {
        return endpoint;
    }

    /** Watches {@link #channel} for {@code ops}; false, with the session terminated, if the selector refuses it. */
    protected final boolean register(int ops) {
        try {
            key = io.register(channel, ops, this);
            return true;
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "{0} endpoint {1}: cannot watch its socket: {2}", scheme, endpoint, e.toString());
            terminate();
            return false;
        }
    }

    /** Does what is due: sends what the pipe holds (and whatever the protocol has to), then sets the interest ops. */
    protected abstract void pump();

    /** Reads up to {@link #READ_BATCH} datagrams, unless paused. */
    protected abstract void onReadable();

    /** Sets {@link #key}'s interest to what the session waits for now. */
    protected abstract void updateInterest();

    // ---- pipe side ----------------------------------------------------------------------------

    @Override
    public void outboundReady() {
        io.execute(pumpTask);
    }

    @Override
    public void resumeReading() {
        io.execute(() -> {
            if (readPaused && !terminated) {
                readPaused = false;
                onReadable();
                updateInterest();
            }
        });
    }

    // ---- network side -------------------------------------------------------------------------

    @Override
    public void onReady(SelectionKey k) {
        if (terminated) {
            return;
        }
        if (k.isValid() && k.isReadable()) {
            onReadable();
        }
        pump();
    }

    /** Receives the next datagram into {@link #readBuffer}; its sender, or null when none waits or receiving failed. */
    protected final InetSocketAddress receive() {
        try {
            readBuffer.clear();
            return (InetSocketAddress) channel.receive(readBuffer);
        } catch (IOException e) {
            log.log(System.Logger.Level.DEBUG, "{0} endpoint {1}: receive failed: {2}", scheme, endpoint, e.toString());
            return null;
        }
    }

    /**
     * Hands the received messages to the socket; false, and reading paused, when RCVHWM is reached. As
     * libzmq's udp_engine and pgm_receiver: no reading until the application catches up.
     */
    protected final boolean deliverBatch() {
        boolean room = pipe.pushIn(batch);
        batch.clear();
        if (!room) {
            readPaused = true;
        }
        return room;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Stops watching the socket and closes it; a subclass releases its own things first, then calls this. */
    @Override
    protected void onTerminate() {
        if (key != null) {
            key.cancel();
        }
        closeChannels();
        io.execute(io::flushCancelledKeys);
    }

    @Override
    public void onShutdown() {
        closeChannels();
    }

    /** Closes the session's socket(s); closing one twice does no harm. */
    protected void closeChannels() {
        closeQuietly(channel);
    }

    /** Closes {@code c} (if any), ignoring failures. */
    protected static void closeQuietly(DatagramChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a datagram socket does not fail in a way that matters here
            }
        }
    }

    // A datagram session has no ZMTP engine.

    @Override
    public final Pipe onHandshake(Engine engine, SocketType peerType, byte[] identity) {
        throw new IllegalStateException(scheme + " sessions have no handshake");
    }

    @Override
    public final void onClosed(Engine engine, String reason, boolean wasActive) {
        throw new IllegalStateException(scheme + " sessions have no ZMTP connection");
    }
}
