package dev.zmq.internal.transport.pgm;

import java.util.HexFormat;

/**
 * A PGM transport session identifier (RFC 3208 section 2): the source's 48-bit global source id and
 * its data-source port. Receivers keep one stream per TSI.
 *
 * @param gsi the global source id in the low 48 bits
 * @param sourcePort the source port of the session, 0..65535
 */
public record Tsi(long gsi, int sourcePort) {

    /*
     * equals and hashCode written out: a record's own are an invokedynamic whose first call spins
     * java.lang.runtime.ObjectMethods and some 70 LambdaForm classes (20-140 ms on this VM, cold).
     * A source's first use is the first SPMR or NAK, which it must answer before the receiver's NAK
     * timer (0-50 ms in OpenPGM) declares the loss unrecoverable; see PgmSender.onPacket.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tsi t && gsi == t.gsi && sourcePort == t.sourcePort;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(gsi) * 31 + sourcePort;
    }

    @Override
    public String toString() {
        var bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (gsi >>> (40 - 8 * i));
        }
        return HexFormat.of().formatHex(bytes) + "." + sourcePort;
    }
}
