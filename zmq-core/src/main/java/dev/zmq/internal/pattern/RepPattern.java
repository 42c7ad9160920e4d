package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import java.util.Arrays;

/**
 * REP (RFC 28): fair-queues requests, strips the envelope (every frame up to and including the
 * first empty delimiter) and puts it back on the reply, which goes to the requester's peer.
 * Requests without a delimiter are malformed and dropped, as libzmq does.
 */
final class RepPattern implements Pattern {
    private static final byte[][] DELIMITER_ONLY = {new byte[0]};
    private final FairQueue fq = new FairQueue();
    private boolean sendingReply;
    private Pipe replyPipe;
    private byte[][] envelope;
    private final DropCounter drops;
    private final dev.zmq.internal.options.Options options;

    RepPattern(dev.zmq.internal.options.Options options, DropCounter drops) {
        this.options = options;
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        fq.add(pipe);
        Probe.sendIfAsked(pipe, options); // libzmq's REP is a ROUTER underneath
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        fq.remove(pipe);
        if (replyPipe == pipe) {
            replyPipe = null;
        }
    }

    @Override
    public boolean hasIn() {
        return !sendingReply && fq.hasIn();
    }

    @Override
    public boolean hasOut() {
        return sendingReply;
    }

    @Override
    public Message tryRecv() {
        return Pipe.outMessage(tryRecvFrame()); // a bare body stands for Message.of(body)
    }

    /**
     * The request with its envelope taken off and kept for the reply; a one-frame body of a message
     * without properties (inproc's) as its bare frame, as REQ's reply (see
     * {@link ReqPattern#tryRecvFrame}). The receive itself, with {@link #tryRecv} the forward, for the
     * reason given there.
     */
    @Override
    public Object tryRecvFrame() {
        if (sendingReply) {
            throw new ZmqException(ZmqError.EFSM, "REP socket must send() a reply before receiving the next request");
        }
        while (true) {
            var m = fq.poll();
            if (m == null) {
                return null;
            }
            var frames = Frames.unwrap(m);
            int delimiter = -1;
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].length == 0) {
                    delimiter = i;
                    break;
                }
            }
            if (delimiter < 0 || delimiter == frames.length - 1) {
                drops.discardedIn(1);
                continue; // no envelope delimiter, or nothing after it: malformed request
            }
            // A direct peer's envelope is the delimiter alone: the shared one, no copy per request.
            envelope = delimiter == 0 ? DELIMITER_ONLY : Arrays.copyOf(frames, delimiter + 1);
            replyPipe = fq.lastPipe();
            sendingReply = true;
            return Envelopes.body(m, frames, delimiter + 1);
        }
    }

    @Override
    public boolean trySend(Message message) {
        return trySendAny(message);
    }

    /**
     * The reply with the request's envelope put back; a bare frame (the socket's send of one frame)
     * becomes the reply's last frame directly, no one-frame Message made only to prepend to.
     */
    @Override
    public boolean trySendAny(Object frameOrMessage) {
        if (!sendingReply) {
            throw new ZmqException(ZmqError.EFSM, "REP socket must recv() a request before sending a reply");
        }
        // As libzmq's REP (a ROUTER underneath): a reply to a peer that left or is full is dropped.
        if (replyPipe != null && !replyPipe.isDetached() && replyPipe.hasRoomOut()) {
            replyPipe.pushOut(frameOrMessage instanceof byte[] frame && envelope.length == 1
                    ? Frames.wrap(new byte[][] {envelope[0], frame})
                    : Pipe.outMessage(frameOrMessage).prepend(envelope));
        } else {
            drops.droppedOut();
        }
        sendingReply = false;
        replyPipe = null;
        envelope = null;
        return true;
    }

    @Override
    public void recycle(byte[] frame) {
        fq.recycle(frame);
    }
}
