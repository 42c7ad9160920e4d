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

    @Override
    public String toString() {
        var bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (gsi >>> (40 - 8 * i));
        }
        return HexFormat.of().formatHex(bytes) + "." + sourcePort;
    }
}
