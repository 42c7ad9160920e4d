package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.options.Options;
import java.util.concurrent.ThreadLocalRandom;

/**
 * REQ (RFC 28): a DEALER that adds an empty delimiter (and, with REQ_CORRELATE, a request id) to
 * each request, keeps strict send/receive lockstep unless REQ_RELAXED, and accepts a reply only
 * from the peer the request went to. Sending a request discards every message already queued, as
 * libzmq does, so an old or stray message is never returned as the reply.
 */
final class ReqPattern extends DealerPattern {
    private static final byte[] EMPTY = new byte[0];

    private boolean awaitingReply;
    private Pipe replyPipe;
    private int requestId = ThreadLocalRandom.current().nextInt();

    private final DropCounter drops;

    ReqPattern(Options options, DropCounter drops) {
        super(options);
        this.drops = drops;
    }

    @Override
    public void detach(Pipe pipe) {
        super.detach(pipe);
        if (replyPipe == pipe) {
            // As libzmq: the reply can no longer come; with REQ_RELAXED the application may resend.
            replyPipe = null;
        }
    }

    /** None: a reply is checked for its envelope and its pipe, not taken as it is. */
    @Override
    public Pipe solePipe() {
        return null;
    }

    @Override
    public boolean trySend(Message message) {
        return trySendAny(message);
    }

    /**
     * Not DEALER's queueing of a bare frame as it is: a request gets its envelope, so a frame becomes
     * its Message first. The send itself, not a call of {@link #trySend}, for the reason given at
     * {@link #tryRecvFrame} (as a forward, it and trySend were two C2 compiles of 6-7 KB of code
     * each in a cold tcp latency REQ side).
     */
    @Override
    public boolean trySendAny(Object frameOrMessage) {
        boolean relaxed = options.reqRelaxed();
        if (awaitingReply && !relaxed) {
            throw new ZmqException(ZmqError.EFSM,
                    "REQ socket is waiting for a reply: call recv() before sending the next request (or set REQ_RELAXED)");
        }
        var pipe = lb.pick();
        if (pipe == null) {
            return false;
        }
        // Before the request becomes visible to the connection, never after: once it is pushed, a
        // connection that delivers without this socket's lock (lock-free pipes) can bring the reply
        // of a fast peer before this thread gets here, and it would be eaten as a stale message.
        // libzmq eats them at the same point: after choosing the pipe, before the request's last
        // frame is flushed to it.
        discardQueued();
        boolean correlate = options.reqCorrelate();
        Message request;
        if (correlate) {
            requestId++;
            request = Pipe.outMessage(frameOrMessage).prepend(idBytes(requestId), EMPTY);
        } else if (frameOrMessage instanceof byte[] frame) {
            request = Frames.wrap(new byte[][] {EMPTY, frame}); // no one-frame Message made only to prepend to
        } else {
            request = ((Message) frameOrMessage).prepend(EMPTY);
        }
        pipe.pushOut(request);
        awaitingReply = true;
        replyPipe = pipe;
        return true;
    }

    /**
     * As libzmq's req.cpp ("eat all currently available messages" once a request goes out):
     * whatever arrived before this request, a stray message or, with REQ_RELAXED, the late reply
     * to an earlier request, can never be taken for the reply to this one.
     */
    private void discardQueued() {
        while (fq.poll() != null) {
            drops.discardedIn(1);
        }
    }

    @Override
    public boolean hasIn() {
        return awaitingReply && fq.hasIn();
    }

    @Override
    public boolean hasOut() {
        return (!awaitingReply || options.reqRelaxed()) && lb.hasRoom();
    }

    @Override
    public Message tryRecv() {
        return Pipe.outMessage(tryRecvFrame()); // a bare body stands for Message.of(body)
    }

    /**
     * Not DEALER's: a reply's envelope is checked and taken off. A one-frame body of a message
     * without properties (inproc's) comes as its bare frame, as DEALER's one-frame messages do
     * ({@link Pattern#tryRecvFrame}): no Message made for it here and taken apart again by the
     * socket's receive (the same message: {@link #tryRecv} wraps it as dropFirst would have);
     * any other reply as its {@link Message}.
     * The receive itself, not a call of {@link #tryRecv}: the socket's receive path calls this
     * method (an interface call C1 cannot inline), and as a 5-bytecode forward it was one C2
     * compile and tryRecv another (608 inlined bytecodes) in 10 of 20 cold tcp 256 B latency REQ
     * sides, 0 of 7 with the body here (LogCompilation); each then inlined again into the socket's
     * receive roots.
     */
    @Override
    public Object tryRecvFrame() {
        if (!awaitingReply) {
            throw new ZmqException(ZmqError.EFSM, "REQ socket has no request outstanding: send() a request before calling recv()");
        }
        boolean correlate = options.reqCorrelate();
        while (true) {
            var m = fq.poll();
            if (m == null) {
                return null;
            }
            if (fq.lastPipe() != replyPipe) {
                drops.discardedIn(1);
                continue; // a stray or late reply from another peer: dropped, as libzmq does
            }
            var frames = Frames.unwrap(m);
            int bodyStart;
            if (correlate) {
                if (frames.length < 3 || !isId(frames[0], requestId) || frames[1].length != 0) {
                    drops.discardedIn(1); // a reply to an earlier request, or malformed
                    continue;
                }
                bodyStart = 2;
            } else {
                if (frames.length < 2 || frames[0].length != 0) {
                    drops.discardedIn(1); // malformed reply
                    continue;
                }
                bodyStart = 1;
            }
            awaitingReply = false;
            replyPipe = null;
            return Envelopes.body(m, frames, bodyStart);
        }
    }

    private static byte[] idBytes(int id) {
        return new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    private static boolean isId(byte[] frame, int id) {
        return frame.length == 4 && frame[0] == (byte) (id >>> 24) && frame[1] == (byte) (id >>> 16)
                && frame[2] == (byte) (id >>> 8) && frame[3] == (byte) id;
    }

    @Override
    public void recycle(byte[] frame) {
        fq.recycle(frame);
    }
}
