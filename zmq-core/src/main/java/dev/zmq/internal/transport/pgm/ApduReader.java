package dev.zmq.internal.transport.pgm;

import dev.zmq.Message;
import dev.zmq.internal.Frames;
import dev.zmq.internal.wire.V1FrameDecoder;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one source's TSDUs, in sequence order, back into messages, as libzmq's pgm_receiver:
 * until joined, TSDUs without a message boundary (offset 0xFFFF) are skipped and decoding starts
 * at the first boundary; after a loss the stream is left and joined again at the next boundary,
 * so a message is either delivered whole or not at all.
 */
public final class ApduReader {
    private final Consumer<Message> sink;
    private final long maxMessageSize;
    private V1FrameDecoder decoder;
    private final List<byte[]> parts = new ArrayList<>();
    private long malformed;

    /**
     * @param sink receives each whole message
     * @param maxMessageSize MAXMSGSIZE (-1 for none): a larger frame leaves the stream until the next boundary
     */
    public ApduReader(Consumer<Message> sink, long maxMessageSize) {
        this.sink = sink;
        this.maxMessageSize = maxMessageSize;
    }

    /** Whether the reader is decoding (it has seen a message boundary since it started or lost data). */
    public boolean joined() {
        return decoder != null;
    }

    /** TSDUs that could not be decoded (bad offset, bad framing); each made the reader wait for the next boundary. */
    public long malformed() {
        return malformed;
    }

    /** Data was lost before the next TSDU: drop the partial message and wait for the next boundary. */
    public void lost() {
        decoder = null;
        parts.clear();
    }

    /** Feeds the next TSDU of the stream. */
    public void accept(byte[] tsdu) {
        if (tsdu.length < 2) {
            malformed++;
            lost();
            return;
        }
        int offset = ((tsdu[0] & 0xFF) << 8) | (tsdu[1] & 0xFF);
        int from = 2;
        if (decoder == null) {
            if (offset == ApduWriter.NO_BOUNDARY) {
                return;
            }
            if (offset > tsdu.length - 2) {
                malformed++;
                return;
            }
            from += offset;
            decoder = new V1FrameDecoder(this::onFrame, maxMessageSize);
        }
        try {
            decoder.decode(ByteBuffer.wrap(tsdu, from, tsdu.length - from));
        } catch (ZmtpProtocolException e) {
            malformed++;
            lost();
        }
    }

    private void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
        // MAXMSGSIZE limits each frame, as libzmq's v1_decoder does (V1FrameDecoder checks it).
        parts.add(body);
        if ((flags & 1) == 0) {
            var message = Frames.wrap(parts.toArray(new byte[0][]));
            parts.clear();
            sink.accept(message);
        }
    }
}
