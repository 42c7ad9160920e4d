package dev.zmq.internal.wire;

import java.nio.ByteBuffer;

/**
 * ZMTP 1.0 framing (RFC 13): a length (one octet, or 0xFF and eight octets) that counts the flags
 * octet, then the flags (bit 0: MORE), then the body. Spoken only to libzmq 2.x-era peers.
 */
public final class V1FrameDecoder implements Decoder {
    private final FrameDecoder.Sink sink;
    private final long maxDataFrame;
    private int state; // 0 length, 1 long length, 2 flags, 3 body
    private final byte[] lengthBytes = new byte[8];
    private int lengthHave;
    private long length;
    private int flags;
    private int declared;
    private byte[] body;
    private int bodyPos;
    /** Set by {@link #stop} from the sink: {@link #decode} returns after the current frame. */
    private boolean stopped;

    public V1FrameDecoder(FrameDecoder.Sink sink, long maxDataFrame) {
        this.sink = sink;
        this.maxDataFrame = maxDataFrame;
    }

    @Override
    public boolean atFrameBoundary() {
        return state == 0;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void decode(ByteBuffer in) throws ZmtpProtocolException {
        stopped = false;
        while (in.hasRemaining() && !stopped) {
            switch (state) {
                case 0 -> {
                    int b = in.get() & 0xFF;
                    if (b == 0xFF) {
                        lengthHave = 0;
                        state = 1;
                    } else {
                        startFrame(b);
                    }
                }
                case 1 -> {
                    int n = Math.min(8 - lengthHave, in.remaining());
                    in.get(lengthBytes, lengthHave, n);
                    lengthHave += n;
                    if (lengthHave == 8) {
                        long v = 0;
                        for (byte x : lengthBytes) {
                            v = (v << 8) | (x & 0xFF);
                        }
                        if (v < 0 || v - 1 > FrameDecoder.MAX_JAVA_ARRAY) {
                            throw new ZmtpProtocolException("ZMTP 1.0 frame length " + Long.toUnsignedString(v) + " is beyond what Java can hold");
                        }
                        startFrame(v);
                    }
                }
                case 2 -> {
                    flags = in.get() & 0xFF;
                    int size = (int) (length - 1);
                    sink.onHeader(flags & FrameFlags.MORE, size);
                    if (size == 0) {
                        state = 0;
                        sink.onFrame(flags & FrameFlags.MORE, new byte[0]);
                    } else {
                        declared = size;
                        body = FrameDecoder.initialBody(size, in.remaining());
                        bodyPos = 0;
                        state = 3;
                    }
                }
                default -> {
                    int n = Math.min(declared - bodyPos, in.remaining());
                    body = FrameDecoder.withRoom(body, bodyPos + n, declared);
                    in.get(body, bodyPos, n);
                    bodyPos += n;
                    if (bodyPos == declared) {
                        state = 0;
                        var b = body;
                        body = null;
                        sink.onFrame(flags & FrameFlags.MORE, b);
                    }
                }
            }
        }
    }

    private void startFrame(long len) throws ZmtpProtocolException {
        if (len == 0) {
            throw new ZmtpProtocolException("ZMTP 1.0 frame with length 0 (the length counts the flags octet)");
        }
        if (maxDataFrame >= 0 && len - 1 > maxDataFrame) {
            throw new ZmtpProtocolException("data frame of " + (len - 1) + " bytes exceeds the limit of " + maxDataFrame + " bytes (MAXMSGSIZE)");
        }
        length = len;
        state = 2;
    }
}
