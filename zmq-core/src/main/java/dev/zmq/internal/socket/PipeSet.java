package dev.zmq.internal.socket;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.pattern.Pattern;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;
import dev.zmq.internal.pipe.PipeOwner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The pipes of one socket and their life with its pattern: attached when a peer arrives, told to
 * the pattern when the peer is identified, kept readable after the peer left until drained, then
 * detached. Also the pipes' side of the socket: the wake-ups a pipe sends when its reader or writer
 * was asleep ({@link PipeOwner}), and the connection side's lock-free delivery and take
 * ({@link ZmtpEngine.PipeAccess}). Everything but the latter takes the socket's lock.
 */
final class PipeSet implements PipeOwner, ZmtpEngine.PipeAccess {
    private final SocketCore socket;
    private final SocketSync sync;
    private final Options options;
    private final Pattern pattern;
    /** {@link Pattern#readsOnArrival}: deliveries that wake the socket take its lock. */
    private final boolean readsOnArrival;
    private final SocketCounters counters;
    /** Every pipe attached to the pattern. */
    private final Set<Pipe> pipes = new HashSet<>();
    /** Pipes whose peer left with messages still unread; detached once read. */
    private final ArrayList<Pipe> departed = new ArrayList<>();
    /**
     * How many of {@link #pipes} are inproc. Written under the lock; read without it by a receiver
     * deciding whether to yield ({@link #hasInproc}), where a stale value only changes that choice.
     */
    private int inprocPipes;
    /**
     * Lock held: the pattern's {@link Pattern#solePipe} while no departed pipe waits to be read
     * empty, else null. The socket's receive fast path takes from it directly (see
     * {@code SocketCore.takeSole}); updated after every change of the pattern's pipes ({@link #soleChanged}).
     */
    Pipe sole;

    PipeSet(SocketCore socket, SocketSync sync, Options options, Pattern pattern, SocketCounters counters) {
        this.socket = socket;
        this.sync = sync;
        this.options = options;
        this.pattern = pattern;
        this.readsOnArrival = pattern.readsOnArrival();
        this.counters = counters;
    }

    /** How many pipes hold frame arrays the application gave back (for tests). Under the socket's lock. */
    int pipesHoldingReturnedFrames() {
        int n = 0;
        for (var p : pipes) {
            if (p.holdsReturnedFrames()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Creates a pipe for a peer and gives it to the pattern. {@code peerType} is null for a pipe
     * created before its connection exists. Returns null if the pattern refuses the peer.
     */
    Pipe attachPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity) {
        return attach(new Pipe(options.sndhwm(), options.rcvhwm(), options.flag(dev.zmq.SocketOption.CONFLATE), endpoint, this,
                counters.drops), peerType, identity);
    }

    /**
     * inproc: creates this side's pipe and gives it to the pattern, with queues of its own
     * ({@code first} null) or over the queues of the other socket's pipe {@code first}. Null if
     * the pattern refuses the peer.
     */
    Pipe attachInprocPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity, Pipe first) {
        boolean conflate = options.flag(dev.zmq.SocketOption.CONFLATE);
        var pipe = first == null ? Pipe.inproc(options.sndhwm(), options.rcvhwm(), conflate, endpoint, this, counters.drops)
                : Pipe.mateOf(first, options.sndhwm(), options.rcvhwm(), endpoint, this, counters.drops);
        return attach(pipe, peerType, identity);
    }

    private Pipe attach(Pipe pipe, SocketType peerType, byte[] identity) {
        pipe.setPeerType(peerType);
        pipe.setRoutingId(identity);
        pipe.setConnected(peerType != null);
        sync.lock();
        try {
            if (socket.isClosed() || !pattern.attach(pipe)) {
                return null;
            }
            add(pipe);
            soleChanged();
            sync.signalWaiters();
            return pipe;
        } finally {
            sync.unlock();
        }
    }

    /** inproc: our pipe {@code ours} learns the other socket's pipe over its queues (see {@link Pipe#linkMate}). */
    void linkInproc(Pipe ours, Pipe theirs) {
        sync.lock();
        try {
            ours.linkMate(theirs);
            sync.signalWaiters();
        } finally {
            sync.unlock();
        }
    }

    /** Tells the pattern who is on the other end of a pipe created before its connection. */
    boolean identifyPipe(Pipe pipe, SocketType peerType, byte[] identity) {
        sync.lock();
        try {
            pipe.setPeerType(peerType);
            pipe.setRoutingId(identity);
            pipe.setConnected(true);
            boolean accepted = pattern.identified(pipe);
            soleChanged();
            if (accepted) {
                sync.signalWaiters();
            }
            return accepted;
        } finally {
            sync.unlock();
        }
    }

    /** Takes a pipe away from the pattern and drops what it holds. */
    void detachPipe(Pipe pipe) {
        sync.lock();
        try {
            if (!pipe.isDetached()) {
                pattern.detach(pipe);
                pipe.markDetached();
            }
            remove(pipe);
            departed.remove(pipe);
            soleChanged();
            pipe.clear();
            sync.signalWaiters();
        } finally {
            sync.unlock();
        }
    }

    /**
     * The peer of {@code pipe} left. As libzmq, what it sent before leaving is still delivered:
     * the pipe stops taking messages but stays readable until drained, then is detached.
     */
    void peerGone(Pipe pipe) {
        sync.lock();
        try {
            if (pipe.isDetached()) {
                return;
            }
            pipe.clearOutbound();
            pipe.markPeerGone();
            if (pipe.hasIn()) {
                pattern.peerGone(pipe);
                departed.add(pipe);
            } else {
                pattern.detach(pipe);
                pipe.markDetached();
                remove(pipe);
            }
            soleChanged();
            sync.signalWaiters();
        } finally {
            sync.unlock();
        }
    }

    /**
     * Lock held: detaches departed pipes that have been read empty. Called per received message:
     * small enough for C1 to inline (the loop is {@link #reapEmptied}).
     */
    void reapDeparted() {
        if (!departed.isEmpty()) {
            reapEmptied();
        }
    }

    private void reapEmptied() {
        for (int i = departed.size() - 1; i >= 0; i--) {
            var p = departed.get(i);
            if (!p.hasIn()) {
                departed.remove(i);
                pattern.detach(p);
                p.markDetached();
                remove(p);
            }
        }
        soleChanged();
    }

    /** Lock held: the pattern's pipes or {@link #departed} changed, so may {@link #sole}. */
    private void soleChanged() {
        sole = departed.isEmpty() ? pattern.solePipe() : null;
    }

    /** Lock held. */
    private void add(Pipe pipe) {
        if (pipes.add(pipe) && pipe.isInproc()) {
            inprocPipes++;
        }
    }

    /** Lock held. */
    private void remove(Pipe pipe) {
        if (pipes.remove(pipe) && pipe.isInproc()) {
            inprocPipes--;
        }
    }

    /** Whether a peer of this socket is inproc (an application thread that may answer within a yield). A hint: no lock needed. */
    boolean hasInproc() {
        return inprocPipes > 0;
    }

    /** A pipe that outlives its connection lost it (the session will reconnect). */
    void pipeDisconnected(Pipe pipe) {
        sync.lock();
        try {
            pipe.setConnected(false);
        } finally {
            sync.unlock();
        }
    }

    /**
     * Lock held: nothing new is routed to the pipes of the connections {@code ended} accepts (as
     * libzmq's disconnect); what they already queued still drains.
     */
    void stopRouting(Predicate<PipeEndpoint> ended) {
        for (var pipe : pipes) {
            if (ended.test(pipe.endpoint())) {
                pipe.stopTakingOut();
                pattern.peerGone(pipe);
            }
        }
        soleChanged();
    }

    /** Lock held: the messages queued towards each connection, by connection. */
    Map<Object, Long> queuedByConnection() {
        var queued = new IdentityHashMap<Object, Long>();
        for (var pipe : pipes) {
            queued.merge(pipe.endpoint(), (long) pipe.outboundSize(), Long::sum);
        }
        return queued;
    }

    /** Lock held: how many pipes have a live connection. */
    int connected() {
        int connected = 0;
        for (var pipe : pipes) {
            if (pipe.isConnected()) {
                connected++;
            }
        }
        return connected;
    }

    /** Lock held: the messages queued towards every peer. */
    long queued() {
        long queued = 0;
        for (var pipe : pipes) {
            queued += pipe.outboundSize();
        }
        return queued;
    }

    // ---- the pipes' side ------------------------------------------------------------------------

    /**
     * The connection side's delivery: lock-free; the socket's lock is taken only when the pipe
     * says its reader was asleep ({@link #inboundArrived}).
     */
    @Override
    public boolean deliver(Pipe pipe, ArrayList<Message> batch) {
        return pipe.pushIn(batch);
    }

    /** The connection side's take: lock-free; a waiting sender is woken through {@link #outboundRoom}. */
    @Override
    public void drain(Pipe pipe, ArrayDeque<Message> into, int max) {
        pipe.drainOut(into, max);
    }

    /**
     * {@code pipe}'s reader was asleep and messages arrived: a single parked receiver is woken without
     * the socket's lock ({@link SocketSync#wakeReaderWithoutLock}); the lock is taken when the
     * pattern reads them itself (PUB/XPUB subscriptions, RADIO joins), or threads wait on the
     * condition, or pollers watch.
     */
    @Override
    public void inboundArrived(Pipe pipe) {
        if (readsOnArrival || !sync.wakeReaderWithoutLock()) {
            inboundArrivedLocked(pipe);
        }
    }

    /**
     * {@link #inboundArrived} for an inproc peer holding its own socket's lock: only the lock-free
     * wake-up ({@link SocketSync#wakeReaderWithoutLock} takes no lock, so no thread holds two
     * sockets' locks); false where this socket's lock is needed.
     */
    @Override
    public boolean inboundArrivedWithoutLock(Pipe pipe) {
        return !readsOnArrival && sync.wakeReaderWithoutLock();
    }

    private void inboundArrivedLocked(Pipe pipe) {
        sync.lock();
        try {
            if (!pipe.isDetached()) {
                // PUB/XPUB take subscriptions here; the pipe asks again once they found it empty.
                pattern.pipeReadable(pipe);
            }
            sync.signalReadable();
        } finally {
            sync.unlock();
        }
    }

    /** {@code pipe} has room again for a sender that found it full: as {@link #inboundArrived}, without the lock when it can. */
    @Override
    public void outboundRoom(Pipe pipe) {
        if (!sync.wakeWriterWithoutLock()) {
            outboundRoomLocked();
        }
    }

    private void outboundRoomLocked() {
        sync.lock();
        try {
            sync.signalWritable();
        } finally {
            sync.unlock();
        }
    }

    @Override
    public void runAfterUnlock(Runnable task) {
        sync.runAfterUnlock(task);
    }
}
