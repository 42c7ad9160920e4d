package dev.zmq.internal.transport.pgm;

/**
 * Limits a source to RATE: a token bucket filled at {@code bytesPerSecond} and holding at most
 * {@code burst} bytes. Like OpenPGM's rate control, a packet costs its whole size on the wire
 * (PGM packet plus IP and UDP headers), and ODATA and RDATA share the bucket. Time is passed in
 * (nanoseconds) so the bucket is tested without clocks.
 */
public final class TokenBucket {
    /** IPv4 (20) and UDP (8) headers, counted for each packet as OpenPGM counts IP headers. */
    public static final int IP_UDP_OVERHEAD = 28;

    private final long bytesPerSecond;
    private final long burst;
    private double tokens;
    private long last;

    /**
     * @param bytesPerSecond the sustained rate
     * @param burst the most bytes sent back to back; at least one packet's worth
     * @param now the current time in nanoseconds
     */
    public TokenBucket(long bytesPerSecond, long burst, long now) {
        if (bytesPerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive: " + bytesPerSecond + ", " + burst);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** A bucket for RATE in kbit/s (libzmq's unit), with 100 ms of burst but room for at least two packets of {@code maxPacket}. */
    public static TokenBucket forRate(int kilobitsPerSecond, int maxPacket, long now) {
        long bytes = kilobitsPerSecond * 1000L / 8;
        return new TokenBucket(bytes, Math.max(bytes / 10, 2L * (maxPacket + IP_UDP_OVERHEAD)), now);
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * (double) bytesPerSecond / 1e9);
            last = now;
        }
    }

    /** Takes the tokens for a packet of {@code packetBytes} if there are enough; false (nothing taken) otherwise. */
    public boolean tryTake(int packetBytes, long now) {
        refill(now);
        int cost = packetBytes + IP_UDP_OVERHEAD;
        // A packet bigger than the whole bucket may go once the bucket is full, or it never would.
        if (tokens >= Math.min(cost, burst)) {
            tokens -= cost;
            return true;
        }
        return false;
    }

    /** Nanoseconds from {@code now} until a packet of {@code packetBytes} may go (0 if it may now). */
    public long nanosUntil(int packetBytes, long now) {
        refill(now);
        double missing = Math.min(packetBytes + IP_UDP_OVERHEAD, burst) - tokens;
        return missing <= 0 ? 0 : (long) Math.ceil(missing * 1e9 / bytesPerSecond);
    }
}
