package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.Pipe;

/**
 * A socket type's routing rules: where an outgoing message goes, which incoming message is next,
 * and what envelope frames are added or stripped. All methods run with the socket lock held.
 */
public interface Pattern {

    /**
     * A new peer pipe. Returns false to refuse the peer (PAIR already paired, ROUTER id taken):
     * the connection is then closed.
     */
    boolean attach(Pipe pipe);

    /**
     * A pipe attached before its handshake (a connecting socket queues messages early) now knows
     * its peer's type and announced identity. Returns false to refuse the peer.
     */
    default boolean identified(Pipe pipe) {
        return true;
    }

    /**
     * Messages were just delivered to {@code pipe} by its connection (on the I/O thread). Patterns
     * that consume control traffic themselves (PUB/XPUB reading subscriptions) take it here.
     */
    default void pipeReadable(Pipe pipe) {
    }

    /**
     * Whether {@link #pipeReadable} does anything: then a delivery that found the reader asleep
     * takes the socket's lock to call it, where others wake a parked receiver without the lock.
     */
    default boolean readsOnArrival() {
        return false;
    }

    /** Subscribes ({@code add}) or unsubscribes a prefix; only publish-subscribe patterns can. */
    default void subscription(byte[] prefix, boolean add) {
        // EINVAL as libzmq's zmq_setsockopt(ZMQ_SUBSCRIBE) on another socket type.
        throw new ZmqException(ZmqError.EINVAL, "only SUB, XSUB and XPUB (with XPUB_MANUAL) sockets take subscriptions");
    }

    /** Joins ({@code join}) or leaves a group; only DISH can (libzmq: ENOTSUP elsewhere). */
    default void group(String group, boolean join) {
        throw new ZmqException(ZmqError.ENOTSUP, "only DISH sockets join and leave groups");
    }

    /**
     * PEER: the routing id of the pipe the calling thread attached last (a connect attaches its pipe
     * on the caller's thread), then forgotten; 0 if none.
     */
    default int routingIdAttachedByThisThread() {
        return 0;
    }

    /**
     * The peer of {@code pipe} left, but messages it sent are still unread: stop routing to it
     * (it no longer has room), keep reading from it. {@link #detach} follows once it is empty.
     */
    default void peerGone(Pipe pipe) {
    }

    /** A peer pipe went away; forget it. */
    void detach(Pipe pipe);

    /**
     * Routes {@code message} to a peer. Returns false if it would block (no peer has room);
     * throws for messages the pattern forbids now.
     */
    boolean trySend(Message message);

    /**
     * As {@link #trySend}, for what the socket's send path carries: a {@link Message}, or a
     * {@code byte[]} standing for the one-frame message of that frame ({@code send(byte[])}). A
     * pattern that only queues messages as they are (PUSH, DEALER, PAIR) queues the array itself,
     * no Message made for it; the others take the Message it stands for.
     */
    default boolean trySendAny(Object message) {
        return trySend(Pipe.outMessage(message));
    }

    /**
     * {@link #trySendAny} for a sender that waited for room: the socket's waiting path, which the
     * interpreter runs for its first few hundred waits. An interpreted call to a method that the
     * compiled send path inlines (its invocation count driven far past C2's threshold by that
     * path's profiling) makes C2 compile it once more as a unit of its own, in the middle of a cold
     * run; a pattern whose trySendAny that path inlines whole (PUSH) does the same steps here
     * through methods of their own.
     */
    default boolean trySendAnyAfterWait(Object message) {
        return trySendAny(message);
    }

    /** The next message for the application, or null if none is ready. Throws if receiving is forbidden now. */
    Message tryRecv();

    /**
     * As {@link #tryRecv()}, but a one-frame message may come as its bare frame ({@code byte[]},
     * no Message: {@code recvFrame} needs no more), any other as its {@link Message}; null if none.
     * Patterns that look at or change the message they return keep the default.
     */
    default Object tryRecvFrame() {
        return tryRecv();
    }

    /**
     * {@link #tryRecvFrame} for a receiver that waited: the socket's waiting path, which the
     * interpreter runs for its first few hundred waits (see {@link #trySendAnyAfterWait}); a
     * pattern whose tryRecvFrame the compiled receive path inlines whole (PULL) does the same steps
     * here through methods of their own.
     */
    default Object tryRecvFrameAfterWait() {
        return tryRecvFrame();
    }

    /**
     * The application copied out {@code frame}, the one frame of the message {@link #tryRecvFrame}
     * just returned (as a bare array or a one-frame Message), and nothing holds it any more: the
     * pattern may give it back to the pipe it came from ({@link Pipe#recycleIn}), for the
     * connection to decode into again. Called under the socket's lock, right after that receive.
     * Only patterns whose received messages are the connection's alone (no routing id or
     * subscription kept from them) do; the default keeps nothing.
     */
    default void recycle(byte[] frame) {
    }

    /**
     * The pipe every receive takes from as it is, or null: non-null only for a pattern that
     * receives by plain fair queueing (no envelope, filter or frame limit: PULL, DEALER, PAIR) while
     * it has exactly one pipe. Then {@link #tryRecvFrame} is that pipe's {@link Pipe#pollInFrame},
     * {@link #tryRecv} its {@link Pipe#pollIn} and {@link #recycle} its {@link Pipe#recycleIn}, and
     * the socket may call them itself (its receive fast path). Asked again after every attach,
     * identification and detach.
     */
    default Pipe solePipe() {
        return null;
    }

    /** Whether {@link #tryRecv()} would return a message now (for polling). */
    boolean hasIn();

    /** Whether {@link #trySend} would accept a message now (for polling). */
    boolean hasOut();
}
