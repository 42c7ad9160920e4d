package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PgmCodecTest {
    private static final Tsi TSI = new Tsi(0xb7c6d1bc038aL, 0x27b4);

    static Inet4Address ip(String text) throws Exception {
        return (Inet4Address) InetAddress.getByName(text);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    // Captured from Debian's libzmq 4.3.4 / OpenPGM (a PUB on epgm://127.0.0.1;239.192.7.7:5555).
    private static final String OPENPGM_SPM = "27b415b30000b688b7c6d1bc038a00000000000000000000ffffffff000100007f000001";
    private static final String OPENPGM_ODATA = "27b415b30400f122b7c6d1bc038a0012000000000000000000000601746f706963080068656c6c6f2030";

    @Test
    void decodesOpenPgmSpm() throws Exception {
        var bytes = hex(OPENPGM_SPM);
        var spm = assertInstanceOf(PgmPacket.Spm.class, PgmCodec.decode(bytes, bytes.length));
        assertEquals(TSI, spm.source());
        assertEquals(5555, spm.dataPort());
        assertEquals(0, spm.sqn());
        assertEquals(0, spm.trail());
        assertEquals(-1, spm.lead(), "nothing sent yet: lead is trail - 1");
        assertEquals(ip("127.0.0.1"), spm.nla());
        assertFalse(spm.fin());
        assertArrayEquals(bytes, PgmCodec.encode(spm), "we encode the same SPM byte for byte, checksum included");
    }

    @Test
    void decodesOpenPgmOdataCarryingLibzmqFraming() throws Exception {
        var bytes = hex(OPENPGM_ODATA);
        var data = assertInstanceOf(PgmPacket.Data.class, PgmCodec.decode(bytes, bytes.length));
        assertFalse(data.repair());
        assertEquals(0, data.sqn());
        assertEquals(0, data.trail());
        // offset 0, then ZMTP 1.0 frames: [6][MORE]"topic" [8][0]"hello 0"
        assertArrayEquals(hex("00000601746f706963080068656c6c6f2030"), data.tsdu());
        assertArrayEquals(bytes, PgmCodec.encode(data));
    }

    @Test
    void checksumIsTheInternetChecksumWithZeroSentAsAllOnes() {
        var bytes = hex(OPENPGM_SPM);
        int sent = ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF);
        bytes[6] = 0;
        bytes[7] = 0;
        assertEquals(sent, PgmCodec.checksum(bytes, 0, bytes.length));
        // one's complement sum of 0xFFFF is 0xFFFF; its complement, 0, goes out as 0xFFFF
        assertEquals(0xFFFF, PgmCodec.checksum(new byte[] {(byte) 0xFF, (byte) 0xFF}, 0, 2));
        assertEquals(0xFFFF - 0x0102, PgmCodec.checksum(new byte[] {1, 2}, 0, 2));
        assertEquals(0xFFFF - 0x0100, PgmCodec.checksum(new byte[] {1}, 0, 1), "an odd byte counts as the high half of a word");
    }

    @Test
    void rejectsCorruptedTruncatedAndUncheckedData() throws Exception {
        var bytes = hex(OPENPGM_ODATA);
        bytes[bytes.length - 1] ^= 1;
        var e = assertThrows(MalformedPacketException.class, () -> PgmCodec.decode(bytes, bytes.length));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        var good = hex(OPENPGM_ODATA);
        assertThrows(MalformedPacketException.class, () -> PgmCodec.decode(good, 20));
        assertThrows(MalformedPacketException.class, () -> PgmCodec.decode(good, 10));

        var unchecked = hex(OPENPGM_ODATA);
        unchecked[6] = 0;
        unchecked[7] = 0;
        var noSum = assertThrows(MalformedPacketException.class, () -> PgmCodec.decode(unchecked, unchecked.length));
        assertTrue(noSum.getMessage().contains("checksum"), noSum.getMessage());

        var spm = hex(OPENPGM_SPM);
        spm[6] = 0;
        spm[7] = 0;
        assertInstanceOf(PgmPacket.Spm.class, PgmCodec.decode(spm, spm.length), "checksum 0 means none, which SPMs may do");
    }

    @Test
    void naksAndNcfsRoundTripWithNakLists() throws Exception {
        int[] sqns = new int[PgmPacket.Nak.MAX_SQNS];
        for (int i = 0; i < sqns.length; i++) {
            sqns[i] = -5 + i; // across the 32-bit wrap
        }
        for (boolean confirm : new boolean[] {false, true}) {
            for (int n : new int[] {1, 2, PgmPacket.Nak.MAX_SQNS}) {
                var nak = new PgmPacket.Nak(confirm, TSI, 5555, java.util.Arrays.copyOf(sqns, n), ip("10.0.0.1"), ip("239.192.7.7"));
                var bytes = PgmCodec.encode(nak);
                assertEquals(16 + 20 + (n > 1 ? 8 + 4 * (n - 1) : 0), bytes.length);
                assertEquals(confirm ? 0x0a : 0x08, bytes[4]);
                // upstream NAKs swap the ports: source port = data port, destination = the source's port
                int sport = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
                assertEquals(confirm ? TSI.sourcePort() : 5555, sport);
                assertEquals(nak, PgmCodec.decode(bytes, bytes.length));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PgmCodec.encode(
                new PgmPacket.Nak(false, TSI, 5555, new int[64], ip("10.0.0.1"), ip("239.192.7.7"))));
    }

    @Test
    void dataWithFragmentOptionAndFinSpmsRoundTrip() throws Exception {
        var payload = "fragment".getBytes(StandardCharsets.US_ASCII);
        var data = new PgmPacket.Data(TSI, 5555, true, 7, 3, payload, new PgmPacket.Fragment(6, 1400, 3000));
        var bytes = PgmCodec.encode(data);
        assertEquals(0x05, bytes[4]);
        assertEquals(0x01, bytes[5] & 0x01, "options present");
        assertEquals(data, PgmCodec.decode(bytes, bytes.length));

        var fin = new PgmPacket.Spm(TSI, 5555, 9, 1, 8, ip("10.0.0.1"), true);
        var finBytes = PgmCodec.encode(fin);
        assertEquals(fin, PgmCodec.decode(finBytes, finBytes.length));

        var spmr = new PgmPacket.Spmr(TSI, 5555);
        var spmrBytes = PgmCodec.encode(spmr);
        assertEquals(16, spmrBytes.length);
        assertEquals(spmr, PgmCodec.decode(spmrBytes, spmrBytes.length));
    }

    @Test
    void ignoresOtherTypesAndRejectsBadOptions() throws Exception {
        var spmr = PgmCodec.encode(new PgmPacket.Spmr(TSI, 5555));
        spmr[4] = 0x0d; // PGMCC ACK: not used
        spmr[6] = 0;
        spmr[7] = 0;
        assertNull(PgmCodec.decode(spmr, spmr.length));

        var data = PgmCodec.encode(new PgmPacket.Data(TSI, 5555, false, 1, 0, new byte[] {0, 0}, new PgmPacket.Fragment(1, 0, 2)));
        data[24] = 0x05; // OPT_LENGTH replaced by another option
        data[6] = 0;
        data[7] = 0;
        int sum = PgmCodec.checksum(data, 0, data.length);
        data[6] = (byte) (sum >>> 8);
        data[7] = (byte) sum;
        var e = assertThrows(MalformedPacketException.class, () -> PgmCodec.decode(data, data.length));
        assertTrue(e.getMessage().contains("OPT_LENGTH"), e.getMessage());
    }
}
