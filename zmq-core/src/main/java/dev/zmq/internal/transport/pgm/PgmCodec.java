package dev.zmq.internal.transport.pgm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes PGM packets (RFC 3208 sections 8 and 9) in the layout OpenPGM uses over UDP:
 * a 16-byte header (ports, type, options flags, checksum, GSI, TSDU length), the type's fixed part,
 * then option extensions starting with OPT_LENGTH, then the data. Only IPv4 NLAs are supported.
 */
public final class PgmCodec {
    /** Header options flag: option extensions are present. */
    static final int OPT_PRESENT = 0x01;
    /** Header options flag: options are network-significant. */
    static final int OPT_NETWORK = 0x02;
    static final int OPT_LENGTH = 0x00;
    static final int OPT_FRAGMENT = 0x01;
    static final int OPT_NAK_LIST = 0x02;
    static final int OPT_FIN = 0x0e;
    static final int OPT_END = 0x80;
    static final int OPT_MASK = 0x7f;
    static final int AFI_IP = 1;
    /** The PGM header. */
    public static final int HEADER = 16;
    /** The fixed part of ODATA/RDATA (sequence number and trail). */
    public static final int DATA_HEADER = 8;

    private PgmCodec() {
    }

    // ---- checksum ------------------------------------------------------------------------------

    /**
     * The Internet checksum (RFC 1071) of {@code len} bytes, as PGM puts it in its header: 0 is
     * sent as 0xFFFF, because 0 means "no checksum" (OpenPGM's pgm_csum_fold does the same).
     */
    public static int checksum(byte[] buf, int off, int len) {
        long sum = 0;
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((buf[i] & 0xFF) << 8) | (buf[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (buf[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int folded = (int) (~sum & 0xFFFF);
        return folded == 0 ? 0xFFFF : folded;
    }

    // ---- encoding ------------------------------------------------------------------------------

    public static byte[] encode(PgmPacket packet) {
        if (packet instanceof PgmPacket.Spm s) {
            return encodeSpm(s);
        }
        if (packet instanceof PgmPacket.Data d) {
            return encodeData(d);
        }
        if (packet instanceof PgmPacket.Nak n) {
            return encodeNak(n);
        }
        var r = (PgmPacket.Spmr) packet;
        return finish(header(ByteBuffer.allocate(HEADER), r.dataPort(), r.source().sourcePort(), PgmPacket.TYPE_SPMR, 0,
                r.source().gsi(), 0));
    }

    private static byte[] encodeSpm(PgmPacket.Spm s) {
        int options = s.fin() ? 8 : 0;
        var b = ByteBuffer.allocate(HEADER + 20 + options);
        header(b, s.source().sourcePort(), s.dataPort(), PgmPacket.TYPE_SPM, s.fin() ? OPT_PRESENT : 0, s.source().gsi(), 0);
        b.putInt(s.sqn()).putInt(s.trail()).putInt(s.lead()).putShort((short) AFI_IP).putShort((short) 0).put(s.nla().getAddress());
        if (s.fin()) {
            b.put((byte) OPT_LENGTH).put((byte) 4).putShort((short) 8);
            b.put((byte) (OPT_FIN | OPT_END)).put((byte) 4).put((byte) 0).put((byte) 0);
        }
        return finish(b);
    }

    private static byte[] encodeData(PgmPacket.Data d) {
        int options = d.fragment() == null ? 0 : 4 + 16;
        var b = ByteBuffer.allocate(HEADER + DATA_HEADER + options + d.tsdu().length);
        header(b, d.source().sourcePort(), d.dataPort(), d.repair() ? PgmPacket.TYPE_RDATA : PgmPacket.TYPE_ODATA,
                d.fragment() == null ? 0 : OPT_PRESENT, d.source().gsi(), d.tsdu().length);
        b.putInt(d.sqn()).putInt(d.trail());
        if (d.fragment() != null) {
            b.put((byte) OPT_LENGTH).put((byte) 4).putShort((short) 20);
            b.put((byte) (OPT_FRAGMENT | OPT_END)).put((byte) 16).put((byte) 0).put((byte) 0);
            b.putInt(d.fragment().firstSqn()).putInt(d.fragment().offset()).putInt(d.fragment().length());
        }
        b.put(d.tsdu());
        return finish(b);
    }

    private static byte[] encodeNak(PgmPacket.Nak n) {
        int count = n.sqns().length;
        if (count < 1 || count > PgmPacket.Nak.MAX_SQNS) {
            throw new IllegalArgumentException("a NAK carries 1 to " + PgmPacket.Nak.MAX_SQNS + " sequence numbers, not " + count);
        }
        int options = count > 1 ? 4 + 4 + 4 * (count - 1) : 0;
        var b = ByteBuffer.allocate(HEADER + 20 + options);
        int sport = n.confirm() ? n.source().sourcePort() : n.dataPort();
        int dport = n.confirm() ? n.dataPort() : n.source().sourcePort();
        header(b, sport, dport, n.confirm() ? PgmPacket.TYPE_NCF : PgmPacket.TYPE_NAK, count > 1 ? OPT_PRESENT | OPT_NETWORK : 0,
                n.source().gsi(), 0);
        b.putInt(n.sqns()[0]);
        b.putShort((short) AFI_IP).putShort((short) 0).put(n.sourceNla().getAddress());
        b.putShort((short) AFI_IP).putShort((short) 0).put(n.groupNla().getAddress());
        if (count > 1) {
            b.put((byte) OPT_LENGTH).put((byte) 4).putShort((short) options);
            b.put((byte) (OPT_NAK_LIST | OPT_END)).put((byte) (4 + 4 * (count - 1))).put((byte) 0).put((byte) 0);
            for (int i = 1; i < count; i++) {
                b.putInt(n.sqns()[i]);
            }
        }
        return finish(b);
    }

    private static ByteBuffer header(ByteBuffer b, int sport, int dport, int type, int options, long gsi, int tsduLength) {
        b.putShort((short) sport).putShort((short) dport).put((byte) type).put((byte) options).putShort((short) 0);
        for (int i = 0; i < 6; i++) {
            b.put((byte) (gsi >>> (40 - 8 * i)));
        }
        return b.putShort((short) tsduLength);
    }

    private static byte[] finish(ByteBuffer b) {
        var bytes = b.array();
        int sum = checksum(bytes, 0, bytes.length);
        bytes[6] = (byte) (sum >>> 8);
        bytes[7] = (byte) sum;
        return bytes;
    }

    // ---- decoding ------------------------------------------------------------------------------

    /**
     * Decodes one UDP payload. Returns null for a well-formed packet of a type this transport
     * ignores (POLL, POLR, ACK, N-NAK...); throws for a malformed one (bad checksum, truncated,
     * inconsistent options, IPv6 NLAs).
     */
    public static PgmPacket decode(byte[] buf, int len) throws MalformedPacketException {
        if (len < HEADER) {
            throw new MalformedPacketException("datagram of " + len + " bytes is shorter than a PGM header (16)");
        }
        var b = ByteBuffer.wrap(buf, 0, len);
        int sport = b.getShort(0) & 0xFFFF;
        int dport = b.getShort(2) & 0xFFFF;
        int type = buf[4] & 0xFF;
        int flags = buf[5] & 0xFF;
        int sum = b.getShort(6) & 0xFFFF;
        long gsi = 0;
        for (int i = 8; i < 14; i++) {
            gsi = (gsi << 8) | (buf[i] & 0xFF);
        }
        int tsduLength = b.getShort(14) & 0xFFFF;
        if (sum != 0) {
            buf[6] = 0;
            buf[7] = 0;
            int computed = checksum(buf, 0, len);
            buf[6] = (byte) (sum >>> 8);
            buf[7] = (byte) sum;
            if (computed != sum) {
                throw new MalformedPacketException("PGM checksum mismatch: packet says 0x" + Integer.toHexString(sum)
                        + ", computed 0x" + Integer.toHexString(computed));
            }
        } else if (type == PgmPacket.TYPE_ODATA || type == PgmPacket.TYPE_RDATA) {
            throw new MalformedPacketException("data packet without the mandatory checksum");
        }
        return switch (type) {
            case PgmPacket.TYPE_SPM -> {
                need(len, HEADER + 20, "SPM");
                var nla = nla(b, HEADER + 12);
                var opts = (flags & OPT_PRESENT) != 0 ? Options.parse(buf, HEADER + 20, len) : Options.NONE;
                yield new PgmPacket.Spm(new Tsi(gsi, sport), dport, b.getInt(HEADER), b.getInt(HEADER + 4), b.getInt(HEADER + 8), nla, opts.fin);
            }
            case PgmPacket.TYPE_ODATA, PgmPacket.TYPE_RDATA -> {
                need(len, HEADER + DATA_HEADER, "data packet");
                var opts = (flags & OPT_PRESENT) != 0 ? Options.parse(buf, HEADER + DATA_HEADER, len) : Options.NONE;
                int start = HEADER + DATA_HEADER + opts.totalLength;
                if (start + tsduLength != len) {
                    throw new MalformedPacketException("data packet of " + len + " bytes declares a TSDU of " + tsduLength
                            + " bytes after " + start + " bytes of headers");
                }
                var tsdu = java.util.Arrays.copyOfRange(buf, start, len);
                yield new PgmPacket.Data(new Tsi(gsi, sport), dport, type == PgmPacket.TYPE_RDATA, b.getInt(HEADER), b.getInt(HEADER + 4),
                        tsdu, opts.fragment);
            }
            case PgmPacket.TYPE_NAK, PgmPacket.TYPE_NCF -> {
                need(len, HEADER + 20, type == PgmPacket.TYPE_NAK ? "NAK" : "NCF");
                var sourceNla = nla(b, HEADER + 4);
                var groupNla = nla(b, HEADER + 12);
                var opts = (flags & OPT_PRESENT) != 0 ? Options.parse(buf, HEADER + 20, len) : Options.NONE;
                int[] sqns = new int[1 + opts.nakList.length];
                sqns[0] = b.getInt(HEADER);
                System.arraycopy(opts.nakList, 0, sqns, 1, opts.nakList.length);
                boolean confirm = type == PgmPacket.TYPE_NCF;
                var tsi = new Tsi(gsi, confirm ? sport : dport);
                yield new PgmPacket.Nak(confirm, tsi, confirm ? dport : sport, sqns, sourceNla, groupNla);
            }
            case PgmPacket.TYPE_SPMR -> new PgmPacket.Spmr(new Tsi(gsi, dport), sport);
            default -> null;
        };
    }

    private static void need(int len, int min, String what) throws MalformedPacketException {
        if (len < min) {
            throw new MalformedPacketException(what + " truncated: " + len + " bytes, expected at least " + min);
        }
    }

    private static Inet4Address nla(ByteBuffer b, int at) throws MalformedPacketException {
        int afi = b.getShort(at) & 0xFFFF;
        if (afi != AFI_IP) {
            throw new MalformedPacketException("NLA address family " + afi + " is not IPv4 (1); IPv6 PGM is not supported");
        }
        var addr = new byte[4];
        b.get(at + 4, addr);
        try {
            return (Inet4Address) InetAddress.getByAddress(addr);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    /** The option extensions of one packet that matter here. */
    private record Options(int totalLength, PgmPacket.Fragment fragment, int[] nakList, boolean fin) {
        static final Options NONE = new Options(0, null, new int[0], false);

        static Options parse(byte[] buf, int at, int len) throws MalformedPacketException {
            if (at + 4 > len || (buf[at] & OPT_MASK) != OPT_LENGTH || (buf[at + 1] & 0xFF) != 4) {
                throw new MalformedPacketException("option extensions do not start with OPT_LENGTH");
            }
            int total = ((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF);
            if (total < 4 || at + total > len) {
                throw new MalformedPacketException("OPT_LENGTH of " + total + " bytes runs past the packet");
            }
            PgmPacket.Fragment fragment = null;
            int[] nakList = new int[0];
            boolean fin = false;
            int p = at + 4;
            int end = at + total;
            int count = 0;
            boolean last = (buf[at] & OPT_END) != 0;
            while (!last && p < end) {
                if (p + 3 > end || ++count > 16) {
                    throw new MalformedPacketException("malformed option extensions");
                }
                int type = buf[p] & OPT_MASK;
                last = (buf[p] & OPT_END) != 0;
                int optLen = buf[p + 1] & 0xFF;
                if (optLen < 3 || p + optLen > end) {
                    throw new MalformedPacketException("option " + type + " of " + optLen + " bytes does not fit the options");
                }
                var b = ByteBuffer.wrap(buf);
                switch (type) {
                    case OPT_FRAGMENT -> {
                        if (optLen < 16) {
                            throw new MalformedPacketException("OPT_FRAGMENT of " + optLen + " bytes (expected 16)");
                        }
                        fragment = new PgmPacket.Fragment(b.getInt(p + 4), b.getInt(p + 8), b.getInt(p + 12));
                    }
                    case OPT_NAK_LIST -> {
                        int n = (optLen - 4) / 4;
                        if (optLen < 4 || n > PgmPacket.Nak.MAX_SQNS - 1) {
                            throw new MalformedPacketException("OPT_NAK_LIST of " + optLen + " bytes");
                        }
                        nakList = new int[n];
                        for (int i = 0; i < n; i++) {
                            nakList[i] = b.getInt(p + 4 + 4 * i);
                        }
                    }
                    case OPT_FIN -> fin = true;
                    default -> {
                        // other options (OPT_SYN, OPT_PARITY_PRM, OPT_CRQST...) do not change what we do
                    }
                }
                p += optLen;
            }
            return new Options(total, fragment, nakList, fin);
        }
    }
}
