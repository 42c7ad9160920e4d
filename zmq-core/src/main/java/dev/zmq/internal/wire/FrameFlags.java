package dev.zmq.internal.wire;

/** The flags octet of a ZMTP 3.x frame. */
public final class FrameFlags {
    public static final int MORE = 0x01;
    public static final int LONG = 0x02;
    public static final int COMMAND = 0x04;
    /** Bits 3 to 7 are reserved and must be zero. */
    public static final int RESERVED = 0xF8;

    private FrameFlags() {
    }
}
