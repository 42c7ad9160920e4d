package dev.zmq.internal.transport.pgm;

import java.net.Inet4Address;
import java.util.Arrays;

/**
 * The PGM packets (RFC 3208) this transport sends and understands, as OpenPGM sends them over UDP
 * (the PGM packet is the whole UDP payload). Sequence numbers are 32-bit and wrap; compare them
 * with {@link #before}.
 */
public sealed interface PgmPacket {
    int TYPE_SPM = 0x00;
    int TYPE_ODATA = 0x04;
    int TYPE_RDATA = 0x05;
    int TYPE_NAK = 0x08;
    int TYPE_NNAK = 0x09;
    int TYPE_NCF = 0x0a;
    int TYPE_SPMR = 0x0c;

    /** Whether sequence number {@code a} comes before {@code b}, modulo 2^32 (RFC 1982 arithmetic). */
    static boolean before(int a, int b) {
        return a - b < 0;
    }

    /**
     * Source path message: sent by a source to advertise its address (where NAKs go) and its
     * transmit window, before data, after data as a heartbeat, and periodically.
     *
     * @param source the source's session
     * @param dataPort the destination (data) port of the session
     * @param sqn the SPM's own sequence number
     * @param trail the oldest sequence number the source can still repair
     * @param lead the newest sequence number sent ({@code trail - 1} when nothing was sent)
     * @param nla the source's unicast address
     * @param fin whether OPT_FIN is present (the session ends)
     */
    record Spm(Tsi source, int dataPort, int sqn, int trail, int lead, Inet4Address nla, boolean fin) implements PgmPacket {
    }

    /**
     * ODATA (original) or RDATA (repair) carrying one TSDU.
     *
     * @param fragment the OPT_FRAGMENT of an APDU larger than one TSDU, or null
     */
    record Data(Tsi source, int dataPort, boolean repair, int sqn, int trail, byte[] tsdu, Fragment fragment) implements PgmPacket {
        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && source.equals(d.source) && dataPort == d.dataPort && repair == d.repair
                    && sqn == d.sqn && trail == d.trail && Arrays.equals(tsdu, d.tsdu) && java.util.Objects.equals(fragment, d.fragment);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(source, sqn, repair) * 31 + Arrays.hashCode(tsdu);
        }

        @Override
        public String toString() {
            return (repair ? "RDATA" : "ODATA") + "[" + source + " sqn=" + Integer.toUnsignedString(sqn) + " trail="
                    + Integer.toUnsignedString(trail) + " " + tsdu.length + " bytes" + (fragment == null ? "" : " " + fragment) + "]";
        }
    }

    /** OPT_FRAGMENT: this TSDU is bytes {@code offset..} of an APDU of {@code length} bytes starting at {@code firstSqn}. */
    record Fragment(int firstSqn, int offset, int length) {
    }

    /**
     * NAK (a receiver asks the source to repair sequence numbers, sent upstream) or NCF (the
     * source confirms it heard the NAK, multicast downstream). The first sequence number travels
     * in the fixed part, up to 62 more in OPT_NAK_LIST.
     *
     * @param confirm true for an NCF, false for a NAK
     * @param source the session whose data is asked for
     * @param dataPort the session's data port
     * @param sqns the sequence numbers, 1 to 63
     * @param sourceNla the source's unicast address
     * @param groupNla the multicast group
     */
    record Nak(boolean confirm, Tsi source, int dataPort, int[] sqns, Inet4Address sourceNla, Inet4Address groupNla) implements PgmPacket {
        /** The most sequence numbers one NAK carries: one in the header, 62 in OPT_NAK_LIST (as OpenPGM). */
        public static final int MAX_SQNS = 63;

        @Override
        public boolean equals(Object o) {
            return o instanceof Nak n && confirm == n.confirm && source.equals(n.source) && dataPort == n.dataPort
                    && Arrays.equals(sqns, n.sqns) && sourceNla.equals(n.sourceNla) && groupNla.equals(n.groupNla);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(confirm, source, dataPort, sourceNla, groupNla) * 31 + Arrays.hashCode(sqns);
        }

        @Override
        public String toString() {
            return (confirm ? "NCF" : "NAK") + "[" + source + " " + Arrays.toString(sqns) + "]";
        }
    }

    /** SPM request: a receiver that heard data before any SPM asks the source for one. */
    record Spmr(Tsi source, int dataPort) implements PgmPacket {
    }
}
