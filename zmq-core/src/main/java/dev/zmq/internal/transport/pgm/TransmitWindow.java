package dev.zmq.internal.transport.pgm;

/**
 * A source's transmit window: the last {@code capacity} TSDUs sent, by sequence number, kept for
 * repairs. Sized as libzmq sizes OpenPGM's (RATE x RECOVERY_IVL / max TPDU, at least one packet).
 * The trail is the oldest sequence number still held, the lead the newest; an empty window has
 * {@code lead == trail - 1}, and the first sequence number sent is 0, as OpenPGM.
 */
public final class TransmitWindow {
    private final int capacity;
    /** A power of two, so {@code sqn & mask} stays continuous when sequence numbers wrap. */
    private final byte[][] tsdus;
    private final int mask;
    private int lead = -1;
    private int trail = 0;

    public TransmitWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a transmit window holds at least one packet, not " + capacity);
        }
        this.capacity = capacity;
        int size = Integer.highestOneBit(capacity);
        size = size == capacity ? size : size << 1;
        this.tsdus = new byte[size][];
        this.mask = size - 1;
    }

    /** libzmq's window size for RATE (kbit/s), RECOVERY_IVL (ms) and the TPDU size. */
    public static int sequences(int rateKbps, int recoveryIvlMillis, int maxTpdu) {
        long bytesPerMilli = rateKbps / 8; // as libzmq's compute_sqns (integer division)
        long sqns = (long) recoveryIvlMillis * bytesPerMilli / maxTpdu;
        return (int) Math.max(1, Math.min(sqns, 1 << 20));
    }

    public int capacity() {
        return capacity;
    }

    /** Adds the next TSDU and returns its sequence number; the oldest is forgotten when full. */
    public int append(byte[] tsdu) {
        lead++;
        if (lead - trail >= capacity) {
            tsdus[trail & mask] = null;
            trail++;
        }
        tsdus[lead & mask] = tsdu;
        return lead;
    }

    /** The TSDU sent as {@code sqn}, or null if it is no longer (or not yet) in the window. */
    public byte[] get(int sqn) {
        if (PgmPacket.before(sqn, trail) || PgmPacket.before(lead, sqn)) {
            return null;
        }
        return tsdus[sqn & mask];
    }

    public int lead() {
        return lead;
    }

    public int trail() {
        return trail;
    }
}
