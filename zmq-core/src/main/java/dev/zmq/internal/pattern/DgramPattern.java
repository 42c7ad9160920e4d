package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.DatagramAddress;
import dev.zmq.internal.pipe.Pipe;
import java.nio.charset.StandardCharsets;

/**
 * DGRAM (libzmq's dgram.cpp): one pipe, that of the udp endpoint the socket bound, which stands for
 * every UDP peer. A message is exactly [address, body] both ways: received, the address is the
 * sender's {@code ip:port}; sent, the body goes to the {@code ip:port} the first frame names.
 * libzmq enforces the two frames through ZMQ_SNDMORE (EINVAL otherwise) and drops a message whose
 * address does not parse in its engine; here such a message is refused at the send with EINVAL,
 * and one too big for a datagram with EMSGSIZE (libzmq has no check and overruns its buffer).
 */
final class DgramPattern implements Pattern {
    private Pipe pipe;

    @Override
    public boolean attach(Pipe pipe) {
        if (this.pipe != null) {
            return false; // as libzmq: one endpoint only (the socket refuses a second bind before it gets here)
        }
        this.pipe = pipe;
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        if (this.pipe == pipe) {
            this.pipe = null;
        }
    }

    @Override
    public void peerGone(Pipe pipe) {
        // what was received stays readable; sends fail once the pipe refuses them
    }

    @Override
    public boolean trySend(Message message) {
        if (message.size() != 2) {
            throw new ZmqException(ZmqError.EINVAL, "a DGRAM message is exactly two frames, [address \"ip:port\", body], got "
                    + message.size() + " frame" + (message.size() == 1 ? "" : "s") + ": send the peer's address with sendMore, then the body");
        }
        var address = message.frame(0);
        if (DatagramAddress.parse(address) == null) {
            throw new ZmqException(ZmqError.EINVAL, "a DGRAM message's first frame is the peer's address as ip:port (IPv4,"
                    + " port 1 to 65535, e.g. 127.0.0.1:5555), got '" + printable(address) + "'");
        }
        if (pipe == null || pipe.isPeerGone()) {
            throw new ZmqException(ZmqError.EFSM, "this DGRAM socket has no udp endpoint to send from: bind one first, e.g. udp://*:5555");
        }
        int limit = pipe.endpoint().datagramLimit();
        if (limit > 0 && message.frame(1).length > limit) {
            throw new ZmqException(ZmqError.EMSGSIZE, "a DGRAM body is at most " + limit + " bytes (libzmq's udp datagram limit), got "
                    + message.frame(1).length + " bytes: split the data or use tcp");
        }
        if (!pipe.hasRoomOut()) {
            return false;
        }
        pipe.pushOut(message);
        return true;
    }

    private static String printable(byte[] frame) {
        var text = new String(frame, 0, Math.min(frame.length, 64), StandardCharsets.US_ASCII);
        return text.replaceAll("[^\\x20-\\x7e]", "?") + (frame.length > 64 ? "..." : "");
    }

    @Override
    public Message tryRecv() {
        return pipe == null ? null : pipe.pollIn();
    }

    @Override
    public boolean hasIn() {
        return pipe != null && pipe.hasIn();
    }

    @Override
    public boolean hasOut() {
        return pipe != null && pipe.hasRoomOut();
    }
}
