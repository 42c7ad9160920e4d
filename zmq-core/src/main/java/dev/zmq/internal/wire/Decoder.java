package dev.zmq.internal.wire;

import java.nio.ByteBuffer;

/** Turns one ZMTP revision's byte stream into frames for a {@link FrameDecoder.Sink}. */
public interface Decoder {
    /** Consumes all of {@code in}, calling the sink for every complete frame. */
    void decode(ByteBuffer in) throws ZmtpProtocolException;

    /** Whether no frame is partly read. */
    boolean atFrameBoundary();
}
