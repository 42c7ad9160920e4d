package dev.zmq.internal.wire;

import java.nio.ByteBuffer;

/** Turns one ZMTP revision's byte stream into frames for a {@link FrameDecoder.Sink}. */
public interface Decoder {
    /**
     * Consumes all of {@code in}, calling the sink for every complete frame, unless the sink calls
     * {@link #stop}: then it returns after that frame, {@code in}'s position just past it.
     */
    void decode(ByteBuffer in) throws ZmtpProtocolException;

    /**
     * From the sink, during {@link #decode}: return once the frame being handed over is done, leaving
     * the rest of the buffer unread (the receiving pipe reached RCVHWM). The next {@code decode}
     * call goes on normally.
     */
    void stop();

    /** Whether no frame is partly read. */
    boolean atFrameBoundary();

    /**
     * How many bytes the next read should ask for, at most {@code capacity} (the read buffer's
     * size): all of it unless the decoder knows a large frame is coming (see {@code FrameDecoder}).
     */
    default int readSize(int capacity) {
        return capacity;
    }
}
