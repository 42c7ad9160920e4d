package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;

/**
 * The rule of libzmq's draft, thread-safe socket types: messages are one frame. Sending more is
 * refused with EINVAL (libzmq: ZMQ_SNDMORE fails with EINVAL); a message of more frames from a peer
 * is dropped (and counted), as libzmq's xrecv skips them.
 */
final class SingleFrame {
    private SingleFrame() {
    }

    /** As {@link #checkSend(SocketType, Message)} for a send path's element: a bare {@code byte[]} is one frame. */
    static void checkSend(SocketType type, Object message) {
        if (message instanceof Message m) {
            checkSend(type, m);
        }
    }

    /** Throws EINVAL unless {@code message} is a single frame. */
    static void checkSend(SocketType type, Message message) {
        if (message.size() != 1) {
            throw new ZmqException(ZmqError.EINVAL, type + " sockets send single-frame messages only (libzmq: EINVAL on ZMQ_SNDMORE), got "
                    + message.size() + " frames: send one frame per message");
        }
    }

    /** The next single-frame message from {@code fq}, dropping (and counting) longer ones; null if none. */
    static Message poll(FairQueue fq, DropCounter drops) {
        Message m;
        while ((m = fq.poll()) != null) {
            if (m.size() == 1) {
                return m;
            }
            drops.discardedIn(1);
        }
        return null;
    }

    /** The next single-frame message from {@code pipe}, dropping (and counting) longer ones; null if none. */
    static Message poll(Pipe pipe, DropCounter drops) {
        Message m;
        while ((m = pipe.pollIn()) != null) {
            if (m.size() == 1) {
                return m;
            }
            drops.discardedIn(1);
        }
        return null;
    }

    /** Whether {@code fq} holds a single-frame message, dropping (and counting) longer ones at the heads of its pipes. */
    static boolean hasIn(FairQueue fq, DropCounter drops) {
        for (var p : fq.pipes()) {
            if (hasIn(p, drops)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code pipe} holds a single-frame message, dropping (and counting) longer ones at its head. */
    static boolean hasIn(Pipe pipe, DropCounter drops) {
        Message head;
        while ((head = pipe.peekIn()) != null) {
            if (head.size() == 1) {
                return true;
            }
            pipe.pollIn();
            drops.discardedIn(1);
        }
        return false;
    }
}
