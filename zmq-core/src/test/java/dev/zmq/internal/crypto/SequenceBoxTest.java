package dev.zmq.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-connection box for CURVE MESSAGE commands against libsodium's bytes and against
 * {@link NaclBox} (XSalsa20 set up afresh per message) for the same key and nonce.
 */
@Timeout(20)
class SequenceBoxTest {
    private static final HexFormat HEX = HexFormat.of();
    // NaCl's precomputed "firstkey", its box test nonce, and libsodium 1.0.18's crypto_box_easy of
    // MESSAGE (the same vectors as dev.zmq.security.CurveCryptoTest).
    private static final byte[] FIRSTKEY = HEX.parseHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    private static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    private static final byte[] MESSAGE = ("CurveZMQ test vector: the quick brown fox jumps over the lazy dog, twice over to pass"
            + " one Salsa20 block of 64 bytes.").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOX = HEX.parseHex("4e16c9621b68760c2b944de96a2142e473eb162c11b3adf72df626dfad370cd0796f84ff600f291869294d2b3ce63cb6474114a4c541fb0e2f40b2b0df54db7b72789b7c98d386731ad7620c2bbfa866dd9926b26f885f8257b75a5f9bf1d29652a47771f4eb910eda01639d661c9736ad2a3ee6ed9742037066a0b4dc65b598fdb60cb0");
    private static final byte[] CLIENT_PREFIX = "CurveZMQMESSAGEC".getBytes(StandardCharsets.US_ASCII);
    private static final long[] COUNTERS = {0, 1, 2, 255, 256, 0xFFFF_FFFFL, 0x1_0000_0000L, 0x0123_4567_89AB_CDEFL, Long.MAX_VALUE, -2};
    private static final int[] LENGTHS = {0, 1, 15, 16, 31, 32, 47, 63, 64, 65, 127, 128, 200, 1000, 4096};

    private static long counterOf(byte[] nonce) {
        long v = 0;
        for (int i = 16; i < 24; i++) {
            v = (v << 8) | (nonce[i] & 0xFF);
        }
        return v;
    }

    private static byte[] nonce(byte[] prefix, long counter) {
        var n = Arrays.copyOf(prefix, NaclBox.NONCE_BYTES);
        for (int i = 23; i >= 16; i--) {
            n[i] = (byte) counter;
            counter >>>= 8;
        }
        return n;
    }

    private static byte[] randomKey(Random random) {
        var key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    @Test
    void sealsLibsodiumsBox() {
        var box = new SequenceBox(FIRSTKEY, Arrays.copyOf(NONCE, 16));
        var out = new byte[BOX.length];
        box.seal(counterOf(NONCE), MESSAGE[0], MESSAGE, 1, MESSAGE.length - 1, out, 0);
        assertArrayEquals(BOX, out);

        var opened = new byte[MESSAGE.length - 1];
        assertEquals(MESSAGE[0] & 0xFF, box.open(counterOf(NONCE), BOX, 0, BOX.length, opened, 0));
        assertArrayEquals(Arrays.copyOfRange(MESSAGE, 1, MESSAGE.length), opened);
    }

    @Test
    void sameBytesAsNaclBoxForEveryLengthAndCounter() {
        var random = new Random(42);
        var reference = new NaclBox();
        for (int round = 0; round < 3; round++) {
            var key = randomKey(random);
            var box = new SequenceBox(key, CLIENT_PREFIX);
            for (long counter : COUNTERS) {
                for (int length : LENGTHS) {
                    assertSealsAsNaclBox(box, reference, key, counter, length, 5, random);
                }
            }
        }
    }

    /**
     * Seals {@code length} random data bytes and a random flags byte under {@code counter} at
     * {@code at} into a larger array, as into an output buffer: the box must be NaclBox's, byte for
     * byte, and open to the same data. Returns the array the box is in.
     */
    private static byte[] assertSealsAsNaclBox(SequenceBox box, NaclBox reference, byte[] key, long counter, int length, int at,
            Random random) {
        var data = new byte[length];
        random.nextBytes(data);
        byte flags = (byte) random.nextInt(256);
        var plain = new byte[length + 1];
        plain[0] = flags;
        System.arraycopy(data, 0, plain, 1, length);
        var expected = reference.seal(key, nonce(CLIENT_PREFIX, counter), plain);

        var out = new byte[at + expected.length + 2];
        box.seal(counter, flags, data, 0, length, out, at);
        String what = "counter " + counter + ", length " + length;
        assertArrayEquals(expected, Arrays.copyOfRange(out, at, at + expected.length), what);

        var opened = new byte[length];
        assertEquals(flags & 0xFF, box.open(counter, out, at, expected.length, opened, 0), what);
        assertArrayEquals(data, opened, what);
        return out;
    }

    @Test
    void libsodiumBoxesForEveryLengthTo300AndSixCounters() throws Exception {
        // crypto_box_easy_afternm of libsodium 1.0.18 (through ctypes): key[i] = i*29+7, nonce
        // "CurveZMQMESSAGEC" + counter, plaintext (flags byte, then data) byte j of length L = j*131+17+L;
        // SHA-256 over the boxes (tag, ciphertext) in order, counters outer, lengths 1..300 inner.
        var key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (i * 29 + 7);
        }
        var box = new SequenceBox(key, CLIENT_PREFIX);
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        for (long counter : new long[] {0, 1, 255, 0x1_0000_0000L, 0x0123_4567_89AB_CDEFL, 0xFFFF_FFFF_FFFF_FFFEL}) {
            for (int len = 1; len <= 300; len++) {
                var plain = plain(len);
                var out = new byte[SequenceBox.sealedLength(len)];
                box.seal(counter, plain[0], plain, 1, len - 1, out, 0);
                sha.update(out);
                var opened = new byte[len - 1];
                assertEquals(plain[0] & 0xFF, box.open(counter, out, 0, out.length, opened, 0));
                assertArrayEquals(Arrays.copyOfRange(plain, 1, len), opened, "counter " + counter + ", length " + len);
            }
        }
        assertEquals("8df9c4e5b7759a090b987fbd92ebe1e2a879b3611e4d758b0c30cefd5bfcb3df", HEX.formatHex(sha.digest()));

        // One of them in full: 64 bytes of data (CurveBoxBenchmark's and compare.sh's size) under counter 1.
        var out = new byte[SequenceBox.sealedLength(65)];
        var plain = plain(65);
        box.seal(1, plain[0], plain, 1, 64, out, 0);
        assertEquals("639c477ac116858e46a58e55ee478178dc84d7a9dc3ea70178feaca09576b6f82ba9032e5ee9a01a4aad224daaf718d3b2"
                + "2202747eb389aaf11aed591375d769a895acb1acf36265d5d6920e29852cc6de", HEX.formatHex(out));
    }

    private static byte[] plain(int len) {
        var plain = new byte[len];
        for (int j = 0; j < len; j++) {
            plain[j] = (byte) (j * 131 + 17 + len);
        }
        return plain;
    }

    @Test
    void sameBytesAsNaclBoxForRandomKeysPrefixesCountersAndLengths() {
        // Bouncy Castle's XSalsa20 and Poly1305 (through NaclBox) as the oracle, 3000 cases.
        var random = new Random(2026);
        var reference = new NaclBox();
        for (int round = 0; round < 3000; round++) {
            var key = randomKey(random);
            var prefix = new byte[16];
            random.nextBytes(prefix);
            var box = new SequenceBox(key, prefix);
            long counter = random.nextLong();
            int length = round < 600 ? round % 300 : random.nextInt(1100);
            var data = new byte[length];
            random.nextBytes(data);
            byte flags = (byte) random.nextInt(256);
            var plain = new byte[length + 1];
            plain[0] = flags;
            System.arraycopy(data, 0, plain, 1, length);
            var expected = reference.seal(key, nonce(prefix, counter), plain);

            int outOff = random.nextInt(9);
            var out = new byte[outOff + expected.length + random.nextInt(3)];
            box.seal(counter, flags, data, 0, length, out, outOff);
            assertArrayEquals(expected, Arrays.copyOfRange(out, outOff, outOff + expected.length), "round " + round + ", length " + length);

            int openOff = random.nextInt(5);
            var opened = new byte[openOff + length];
            assertEquals(flags & 0xFF, box.open(counter, out, outOff, expected.length, opened, openOff), "round " + round);
            assertArrayEquals(data, Arrays.copyOfRange(opened, openOff, openOff + length));

            // Any flipped bit of the box, or another counter, and nothing opens.
            var bad = out.clone();
            bad[outOff + random.nextInt(expected.length)] ^= (byte) (1 << random.nextInt(8));
            assertEquals(-1, box.open(counter, bad, outOff, expected.length, opened, openOff), "tampered, round " + round);
            assertEquals(-1, box.open(counter + 1, out, outOff, expected.length, opened, openOff), "next counter, round " + round);
        }
    }

    @Test
    void largeMessagesThroughTheLanesAreNaclBoxesAtEveryBoundary() {
        // From LANES_FROM data bytes left at a block's start the blocks come LANES at a time from the lanes:
        // lengths at that threshold, at whole and partial runs of lanes, several runs, and a mix of
        // large and small messages on one box (the lanes made once, reused, never leaking into a
        // small message's blocks). A run from block 1 covers data bytes 31 .. run + 24 (block 0's
        // keystream meets the first 31): the message ends within the run up to run + 24 bytes, beyond
        // it the next long meets the run's last 7 bytes.
        var random = new Random(64);
        var reference = new NaclBox();
        var key = randomKey(random);
        var box = new SequenceBox(key, CLIENT_PREFIX);
        int from = SequenceBox.LANES_FROM;
        int run = Salsa20Lanes.LANES * 64;
        var lengths = new ArrayList<Integer>();
        for (int base : new int[] {from, from + 31, run, run + 24, run + 31, 2 * run + 24, 2 * run + 31, 3 * run + 64}) {
            for (int d = -9; d <= 9; d++) {
                lengths.add(base + d);
            }
        }
        for (int length : new int[] {4096, 8192, 16384, 65536, 70001, 100, 0, 65, 5000}) {
            lengths.add(length);
        }
        long counter = 1;
        for (int length : lengths) {
            counter += 1 + random.nextInt(3);
            var out = assertSealsAsNaclBox(box, reference, key, counter, length, 3, random);
            int sealed = SequenceBox.sealedLength(length + 1);
            out[3 + random.nextInt(sealed)] ^= 1;
            assertEquals(-1, box.open(counter, out, 3, sealed, new byte[length], 0), "tampered, length " + length);
        }
    }

    @Test
    void largeMessagesAfterWipeAreRefused() {
        var random = new Random(65);
        var box = new SequenceBox(randomKey(random), CLIENT_PREFIX);
        var data = new byte[3 * SequenceBox.LANES_FROM];
        var out = new byte[SequenceBox.sealedLength(data.length + 1)];
        box.seal(1, (byte) 0, data, 0, data.length, out, 0); // the lanes made
        box.wipe();
        assertThrows(IllegalStateException.class, () -> box.seal(2, (byte) 0, data, 0, data.length, out, 0));
    }

    @Test
    void sealsAndOpensInPlace() {
        // A small message, and a large one whose keystream comes from the lanes (XORed straight from the lane arrays).
        for (int length : new int[] {100, 3 * Salsa20Lanes.BYTES + 77}) {
            sealsAndOpensInPlace(length);
        }
    }

    private static void sealsAndOpensInPlace(int length) {
        var random = new Random(7);
        var key = randomKey(random);
        var box = new SequenceBox(key, CLIENT_PREFIX);
        var data = new byte[length];
        random.nextBytes(data);
        var expected = new byte[SequenceBox.sealedLength(data.length + 1)];
        box.seal(9, (byte) 1, data, 0, data.length, expected, 0);

        // The data already where its ciphertext goes (after the tag and the flags byte).
        var buffer = new byte[3 + expected.length];
        System.arraycopy(data, 0, buffer, 3 + 17, data.length);
        box.seal(9, (byte) 1, buffer, 3 + 17, data.length, buffer, 3);
        assertArrayEquals(expected, Arrays.copyOfRange(buffer, 3, buffer.length));

        // Opened over its own ciphertext.
        assertEquals(1, box.open(9, buffer, 3, expected.length, buffer, 3 + 17));
        assertArrayEquals(data, Arrays.copyOfRange(buffer, 3 + 17, buffer.length));
    }

    @Test
    void tamperedBoxIsRefusedBeforeAnythingIsWritten() {
        var box = new SequenceBox(FIRSTKEY, Arrays.copyOf(NONCE, 16));
        long counter = counterOf(NONCE);
        for (int i = 0; i < BOX.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                var bad = BOX.clone();
                bad[i] ^= (byte) (1 << bit);
                var out = new byte[BOX.length];
                Arrays.fill(out, (byte) 0x5A);
                assertEquals(-1, box.open(counter, bad, 0, bad.length, out, 0), "flipped bit " + bit + " of byte " + i);
                for (byte b : out) {
                    assertEquals((byte) 0x5A, b, "nothing is written for a box that does not verify");
                }
            }
        }
        // Still works for the genuine box afterwards.
        assertEquals(MESSAGE[0] & 0xFF, box.open(counter, BOX, 0, BOX.length, new byte[BOX.length], 0));
    }

    @Test
    void cryptOpeningABadBoxZeroesWhatItDecryptedAtEveryLength() {
        // crypt decrypts before it compares the tag: for a box that does not verify it returns -1
        // and leaves zeros where the data went, nothing outside it, at every length class (no
        // whole MAC block, odd and even numbers of data longs, 0..7 tail bytes, several Salsa20 blocks).
        var random = new Random(11);
        var key = randomKey(random);
        var box = new SequenceBox(key, CLIENT_PREFIX);
        for (int len = 0; len <= 300; len += len < 80 ? 1 : 37) {
            var data = new byte[len];
            random.nextBytes(data);
            var sealed = new byte[SequenceBox.sealedLength(len + 1)];
            box.seal(5, (byte) 2, data, 0, len, sealed, 0);
            for (int flip : new int[] {0, 15, 16, 16 + len / 2, sealed.length - 1}) {
                var bad = sealed.clone();
                bad[flip] ^= 0x10;
                var out = new byte[len + 6];
                Arrays.fill(out, (byte) 0x5A);
                assertEquals(-1, box.crypt(false, 5, 0, bad, 17, out, 3, len, bad, 0), "length " + len + ", byte " + flip);
                for (int i = 0; i < out.length; i++) {
                    assertEquals(i < 3 || i >= 3 + len ? (byte) 0x5A : 0, out[i], "length " + len + ", byte " + flip + ", out[" + i + "]");
                }
            }
            // The genuine box still opens the same way, into the same place.
            var out = new byte[len + 6];
            assertEquals(2, box.crypt(false, 5, 0, sealed, 17, out, 3, len, sealed, 0), "length " + len);
            assertArrayEquals(data, Arrays.copyOfRange(out, 3, 3 + len), "length " + len);
            // Under another counter it does not.
            assertEquals(-1, box.crypt(false, 6, 0, sealed, 17, out, 3, len, sealed, 0), "length " + len);
        }
    }

    @Test
    void cryptsTagIsPoly1305OverTheCiphertext() {
        // The MAC computed inside crypt's XOR loop against OneTimeAuth's one-call Poly1305 (checked
        // on RFC 8439's vectors), keyed by the first 32 bytes of the message's Salsa20 stream.
        var random = new Random(12);
        var key = randomKey(random);
        var box = new SequenceBox(key, CLIENT_PREFIX);
        var subkey = NaclBox.hsalsa20(key, CLIENT_PREFIX);
        for (int len = 0; len <= 200; len++) {
            long counter = random.nextLong();
            var data = new byte[len];
            random.nextBytes(data);
            var sealed = new byte[SequenceBox.sealedLength(len + 1)];
            box.seal(counter, (byte) random.nextInt(256), data, 0, len, sealed, 0);

            var tag = new byte[16];
            OneTimeAuth.mac(blockZero(subkey, counter), 0, sealed, 16, len + 1, tag, 0, false);
            assertArrayEquals(tag, Arrays.copyOf(sealed, 16), "length " + len);
        }
    }

    /** Block 0 of the message under {@code counter}, as crypt makes it: words 0..3 are r, 4..7 are s. */
    private static int[] blockZero(byte[] subkey, long counter) {
        var state = new int[16];
        state[0] = Salsa20.SIGMA0;
        state[5] = Salsa20.SIGMA1;
        state[10] = Salsa20.SIGMA2;
        state[15] = Salsa20.SIGMA3;
        for (int i = 0; i < 4; i++) {
            state[1 + i] = OneTimeAuth.le32(subkey, 4 * i);
            state[11 + i] = OneTimeAuth.le32(subkey, 16 + 4 * i);
        }
        state[6] = Integer.reverseBytes((int) (counter >>> 32));
        state[7] = Integer.reverseBytes((int) counter);
        var block0 = new int[16];
        Salsa20.block(state, block0);
        return block0;
    }

    /** Four words from {@code from} as one little-endian 128-bit number. */
    private static BigInteger words128(int[] words, int from) {
        var v = BigInteger.ZERO;
        for (int i = from + 3; i >= from; i--) {
            v = v.shiftLeft(32).or(BigInteger.valueOf(words[i] & 0xFFFFFFFFL));
        }
        return v;
    }

    private static final BigInteger P1305 = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

    /**
     * Opens {@code box} (tag, then {@code len + 1} bytes of ciphertext) after writing into its tag
     * Poly1305 of the ciphertext computed in BigInteger (RFC 8439 section 2.5, and the same as
     * OneTimeAuth's): crypt must return its prefix byte; with one bit of the tag flipped, -1.
     */
    private static void assertMacAgreesAt(SequenceBox sequenceBox, byte[] subkey, long counter, byte[] box, int len) {
        int[] block0 = blockZero(subkey, counter);
        var r = words128(block0, 0).and(new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
        var h = BigInteger.ZERO;
        for (int p = 16; p < 17 + len; p += 16) {
            int n = Math.min(16, 17 + len - p);
            var m = BigInteger.ONE.shiftLeft(8 * n);
            for (int i = n - 1; i >= 0; i--) {
                m = m.or(BigInteger.valueOf(box[p + i] & 0xFF).shiftLeft(8 * i));
            }
            h = h.add(m).multiply(r).mod(P1305);
        }
        var tag = h.add(words128(block0, 4));
        for (int i = 0; i < 16; i++) {
            box[i] = tag.shiftRight(8 * i).byteValue();
        }
        var reference = new byte[16];
        OneTimeAuth.mac(block0, 0, box, 16, len + 1, reference, 0, false);
        assertArrayEquals(reference, Arrays.copyOf(box, 16), "length " + len);
        var out = new byte[len];
        assertEquals((box[16] ^ block0[8]) & 0xFF, sequenceBox.crypt(false, counter, 0, box, 17, out, 0, len, box, 0),
                "length " + len + ", counter " + counter);
        box[len % 16] ^= (byte) (1 << (len % 8));
        assertEquals(-1, sequenceBox.crypt(false, counter, 0, box, 17, out, 0, len, box, 0), "length " + len);
    }

    @Test
    void macOfAllOnesCiphertextAtEveryLength() {
        // Blocks of all ones: the largest limbs, each addition of a block to the accumulator carries.
        var random = new Random(13);
        var key = randomKey(random);
        var box = new SequenceBox(key, CLIENT_PREFIX);
        var subkey = NaclBox.hsalsa20(key, CLIENT_PREFIX);
        for (int len = 0; len <= 300; len++) {
            var sealed = new byte[SequenceBox.sealedLength(len + 1)];
            Arrays.fill(sealed, (byte) 0xFF);
            assertMacAgreesAt(box, subkey, random.nextLong(), sealed, len);
        }
    }

    /**
     * A first block (h = 0) for which the product before its reduction in radix 2^64 (the form crypt's
     * MAC had before radix 2^32; kept as one more hard case), for the block a0 + a1 2^64 + 2^128,
     * D = a0 r0 + a1 s1 + 2^64 (a0 r1 + a1 r0 + s1) + 2^128 r0 (r = r0 + r1 2^64, s1 = 5 r1 / 4),
     * is 2^128 - 64 modulo 2^128: its low words 2^64 - 64 and 2^64 - 1, so that adding the folded top
     * (5 (D >> 130) >= 64) carries out of both. The (a0, a1) with a0 r + a1 (s1 + 2^64 r0) = 2^128 - 64 -
     * 2^64 s1 (mod 2^128) are a lattice's coset, searched by {@link #inBox}; or there is none (null).
     */
    private static BigInteger firstBlockWhoseProductEndsInOnes(BigInteger r) {
        var mod = BigInteger.TWO.pow(128);
        var limb = BigInteger.TWO.pow(64);
        var r0 = r.mod(limb);
        var r1 = r.shiftRight(64);
        var s1 = r1.add(r1.shiftRight(2));
        var c = s1.add(r0.shiftLeft(64)); // a1's coefficient
        var z = mod.subtract(BigInteger.valueOf(64)).subtract(s1.shiftLeft(64)).mod(mod);
        var a = inBox(r, c, z, mod, limb);
        if (a == null) {
            return null;
        }
        var d = a[0].multiply(r0).add(a[1].multiply(s1))
                .add(a[0].multiply(r1).add(a[1].multiply(r0)).add(s1).shiftLeft(64))
                .add(r0.shiftLeft(128));
        assertEquals(mod.subtract(BigInteger.valueOf(64)), d.mod(mod));
        return a[0].add(a[1].shiftLeft(64)).add(mod);
    }

    /**
     * crypt's product before its reduction, radix 2^32, for a first block (h = 0) a0 + a1 2^32 + a2 2^64
     * + a3 2^96 + 2^128: D = d0 + d1 2^32 + d2 2^64 + d3 2^96 + r0 2^128 with d0 = a0 r0 + a1 s3 + a2 s2
     * + a3 s1, d1 = a0 r1 + a1 r0 + a2 s3 + a3 s2 + s1, ... (r = r0 + r1 2^32 + r2 2^64 + r3 2^96,
     * s_j = 5 r_j / 4).
     */
    private static BigInteger radix32Product(BigInteger[] a, BigInteger[] r) {
        var s = new BigInteger[4];
        for (int j = 1; j < 4; j++) {
            s[j] = r[j].add(r[j].shiftRight(2));
        }
        var d = new BigInteger[] {
            a[0].multiply(r[0]).add(a[1].multiply(s[3])).add(a[2].multiply(s[2])).add(a[3].multiply(s[1])),
            a[0].multiply(r[1]).add(a[1].multiply(r[0])).add(a[2].multiply(s[3])).add(a[3].multiply(s[2])).add(s[1]),
            a[0].multiply(r[2]).add(a[1].multiply(r[1])).add(a[2].multiply(r[0])).add(a[3].multiply(s[3])).add(s[2]),
            a[0].multiply(r[3]).add(a[1].multiply(r[2])).add(a[2].multiply(r[1])).add(a[3].multiply(r[0])).add(s[3]),
            r[0]};
        var sum = BigInteger.ZERO;
        for (int i = 4; i >= 0; i--) {
            sum = sum.shiftLeft(32).add(d[i]);
        }
        return sum;
    }

    /**
     * A first block (h = 0) after which crypt's accumulator, radix 2^32, has h1 = 2^32, one past its
     * 32 bits: its product D (see {@link #radix32Product}) has bits 32..63 all ones and a low word
     * that the folded top, 5 (D >> 130), carries out of. Those (a0, a1) for chosen a2, a3 solve
     * a0 c0 + a1 c1 = z (mod 2^64), c0 = r0 + 2^32 r1, c1 = s3 + 2^32 r0, a lattice's coset; or none
     * is found (null).
     */
    private static BigInteger firstBlockWhoseFoldCarriesPastH1(BigInteger r, Random random) {
        var word = BigInteger.TWO.pow(32);
        var mod = BigInteger.TWO.pow(64);
        var rw = new BigInteger[4];
        for (int j = 0; j < 4; j++) {
            rw[j] = r.shiftRight(32 * j).mod(word);
        }
        var s3 = rw[3].add(rw[3].shiftRight(2));
        var c0 = rw[0].add(rw[1].shiftLeft(32));
        var c1 = s3.add(rw[0].shiftLeft(32));
        for (int attempt = 0; attempt < 40; attempt++) {
            var a = new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO,
                BigInteger.valueOf(random.nextInt() & 0xFFFFFFFFL), BigInteger.valueOf(random.nextInt() & 0xFFFFFFFFL)};
            var rest = radix32Product(a, rw).mod(mod); // what a2, a3 and the block's 2^128 add below 2^64
            // Bits 32..63 all ones and a low word from 2^32 - 2^24 - 2^20 on.
            var target = mod.subtract(BigInteger.TWO.pow(24)).subtract(BigInteger.valueOf(random.nextInt(1 << 20)));
            var found = inBox(c0, c1, target.subtract(rest).mod(mod), mod, word);
            if (found == null) {
                continue;
            }
            a[0] = found[0];
            a[1] = found[1];
            var d = radix32Product(a, rw);
            assertEquals(target, d.mod(mod));
            if (d.mod(word).add(d.shiftRight(130).multiply(BigInteger.valueOf(5))).compareTo(word) < 0) {
                continue; // the fold did not carry (its top too small)
            }
            return a[0].add(a[1].shiftLeft(32)).add(a[2].shiftLeft(64)).add(a[3].shiftLeft(96)).add(BigInteger.TWO.pow(128));
        }
        return null;
    }

    /**
     * (a0, a1) in [0, limb)^2 with a0 x + a1 y = z (mod {@code mod}), or null: the solutions are a
     * lattice's coset, and the one nearest the middle of the square is found by Lagrange reduction
     * and rounding (it is the only candidate when the square holds about one).
     */
    private static BigInteger[] inBox(BigInteger x, BigInteger y, BigInteger z, BigInteger mod, BigInteger limb) {
        BigInteger[] u, v, p;
        if (y.testBit(0)) {
            var inverse = y.modInverse(mod);
            u = new BigInteger[] {BigInteger.ONE, x.multiply(inverse).negate().mod(mod)};
            v = new BigInteger[] {BigInteger.ZERO, mod};
            p = new BigInteger[] {BigInteger.ZERO, z.multiply(inverse).mod(mod)};
        } else if (x.testBit(0)) {
            var inverse = x.modInverse(mod);
            u = new BigInteger[] {y.multiply(inverse).negate().mod(mod), BigInteger.ONE};
            v = new BigInteger[] {mod, BigInteger.ZERO};
            p = new BigInteger[] {z.multiply(inverse).mod(mod), BigInteger.ZERO};
        } else {
            return null;
        }
        while (true) { // Lagrange: u the shortest vector, v the shortest independent of it
            if (dot(u, u).compareTo(dot(v, v)) > 0) {
                var t = u;
                u = v;
                v = t;
            }
            var mu = roundedQuotient(dot(u, v), dot(u, u));
            if (mu.signum() == 0) {
                break;
            }
            v = new BigInteger[] {v[0].subtract(mu.multiply(u[0])), v[1].subtract(mu.multiply(u[1]))};
        }
        var half = limb.shiftRight(1);
        var t0 = half.subtract(p[0]);
        var t1 = half.subtract(p[1]);
        var det = u[0].multiply(v[1]).subtract(u[1].multiply(v[0]));
        var alpha = roundedQuotient(t0.multiply(v[1]).subtract(t1.multiply(v[0])), det);
        var beta = roundedQuotient(u[0].multiply(t1).subtract(u[1].multiply(t0)), det);
        for (int da = -1; da <= 1; da++) {
            for (int db = -1; db <= 1; db++) {
                var a = alpha.add(BigInteger.valueOf(da));
                var b = beta.add(BigInteger.valueOf(db));
                var a0 = p[0].add(a.multiply(u[0])).add(b.multiply(v[0]));
                var a1 = p[1].add(a.multiply(u[1])).add(b.multiply(v[1]));
                if (a0.signum() >= 0 && a0.compareTo(limb) < 0 && a1.signum() >= 0 && a1.compareTo(limb) < 0) {
                    assertEquals(z.mod(mod), a0.multiply(x).add(a1.multiply(y)).mod(mod));
                    return new BigInteger[] {a0, a1};
                }
            }
        }
        return null;
    }

    private static BigInteger dot(BigInteger[] x, BigInteger[] y) {
        return x[0].multiply(y[0]).add(x[1].multiply(y[1]));
    }

    /** n / d rounded to the nearest integer (d != 0). */
    private static BigInteger roundedQuotient(BigInteger n, BigInteger d) {
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        var twice = n.shiftLeft(1).add(d);
        var q = twice.divide(d.shiftLeft(1));
        return twice.signum() < 0 && !q.multiply(d.shiftLeft(1)).equals(twice) ? q.subtract(BigInteger.ONE) : q;
    }

    @Test
    void macAccumulatorAtTheEdgesOfItsReduction() {
        // Ciphertext blocks chosen from r^-1 so that the accumulator after the block, h = (h + block) r
        // mod p, is one of the targets: crypt's partly reduced h is then p itself for 0 (the final
        // subtraction of p taken exactly, every carry of h + 5 taken), p + 1 .. p + 4 for 1 .. 4, p - 1
        // (not taken); limbs of all ones for 2^64 - 1 and 2^128 - 1. A block (2^128 + its 16 bytes)
        // reaches a quarter of the residues, so each takes the first target it can reach. Between
        // them blocks of all ones; after an h of p, the block 5 (h + block = 2^130 + 2^128: the low
        // limb's carry carries the high limb too); as a first block, where r has one, a block whose
        // product ends in 2^128 - 64 (the partial reduction's carry through both low words).
        var two = BigInteger.TWO;
        BigInteger[] targets = {BigInteger.ZERO, BigInteger.ONE, two, BigInteger.valueOf(4),
            P1305.subtract(BigInteger.ONE), P1305.subtract(BigInteger.valueOf(5)), P1305.subtract(BigInteger.valueOf(6)),
            two.pow(64).subtract(BigInteger.ONE), two.pow(64).subtract(BigInteger.valueOf(5)),
            two.pow(128).subtract(BigInteger.ONE), two.pow(128).subtract(BigInteger.valueOf(5)),
            two.pow(129).subtract(BigInteger.ONE)};
        var reached = new int[targets.length];
        int afterP = 0;
        int onesProducts = 0;
        var random = new Random(14);
        var key = randomKey(random);
        var box = new SequenceBox(key, CLIENT_PREFIX);
        var subkey = NaclBox.hsalsa20(key, CLIENT_PREFIX);
        var clamp = new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16);
        var whole = two.pow(128); // a whole block's 1 bit
        for (int trial = 0; trial < 600; trial++) {
            long counter = random.nextLong();
            int blocks = 1 + trial % 6;
            int len = 16 * blocks - 1;
            var sealed = new byte[SequenceBox.sealedLength(len + 1)];
            var r = words128(blockZero(subkey, counter), 0).and(clamp);
            var rInverse = r.modInverse(P1305);
            var h = BigInteger.ZERO;
            int last = -1;
            for (int b = 0; b < blocks; b++) {
                var m = two.pow(129).subtract(BigInteger.ONE); // all ones
                boolean wasP = last == 0;
                last = -1;
                var ones = b == 0 && trial % 3 == 0 ? firstBlockWhoseProductEndsInOnes(r) : null;
                if (ones != null) {
                    m = ones;
                    onesProducts++;
                } else if (wasP && trial % 2 == 0) {
                    m = whole.add(BigInteger.valueOf(5));
                    afterP++;
                } else if ((blocks - 1 - b) % 2 == 0) {
                    for (int t = 0; t < targets.length; t++) {
                        int i = (t + trial + b) % targets.length;
                        var wanted = targets[i].multiply(rInverse).subtract(h).mod(P1305);
                        if (wanted.compareTo(whole) >= 0 && wanted.bitLength() <= 129) {
                            m = wanted;
                            last = i;
                            break;
                        }
                    }
                }
                for (int i = 0; i < 16; i++) {
                    sealed[16 + 16 * b + i] = m.shiftRight(8 * i).byteValue();
                }
                h = h.add(m).multiply(r).mod(P1305);
                if (last >= 0) {
                    assertEquals(targets[last], h);
                }
            }
            if (last >= 0) {
                reached[last]++;
            }
            assertMacAgreesAt(box, subkey, counter, sealed, len);
        }
        for (int i = 0; i < targets.length; i++) {
            assertTrue(reached[i] >= 5, "final accumulator " + targets[i].toString(16) + " reached " + reached[i]);
        }
        assertTrue(afterP >= 5, "block 5 after an h of p: " + afterP);
        assertTrue(onesProducts >= 50, "first blocks whose product ends in 2^128 - 64: " + onesProducts);
    }

    @Test
    void macAccumulatorCarryingPastItsSecondLimb() {
        // A first block after which crypt's h1 is 2^32, one past its word (the fold of the top into h0
        // carries into a second limb of all ones): as the last block, where the final carries take it
        // up through h2 and h3, and before blocks of all ones and of random bytes, which add to it.
        var random = new Random(15);
        var key = randomKey(random);
        var box = new SequenceBox(key, CLIENT_PREFIX);
        var subkey = NaclBox.hsalsa20(key, CLIENT_PREFIX);
        var clamp = new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16);
        int found = 0;
        for (int trial = 0; trial < 90; trial++) {
            long counter = random.nextLong();
            var r = words128(blockZero(subkey, counter), 0).and(clamp);
            var first = firstBlockWhoseFoldCarriesPastH1(r, random);
            if (first == null) {
                continue;
            }
            found++;
            int blocks = 1 + trial % 3;
            int len = 16 * blocks - 1 - (blocks > 1 && trial / 3 % 2 == 1 ? 5 : 0); // the last block whole, or 11 bytes
            var sealed = new byte[SequenceBox.sealedLength(len + 1)];
            if (trial % 2 == 0) {
                Arrays.fill(sealed, (byte) 0xFF);
            } else {
                random.nextBytes(sealed);
            }
            for (int i = 0; i < 16; i++) {
                sealed[16 + i] = first.shiftRight(8 * i).byteValue();
            }
            assertMacAgreesAt(box, subkey, counter, sealed, len);
        }
        assertTrue(found >= 30, "first blocks that carry past h1: " + found);
    }

    @Test
    void wrongNonceOrKeyOrPrefixIsRefused() {
        long counter = counterOf(NONCE);
        var prefix = Arrays.copyOf(NONCE, 16);
        var out = new byte[BOX.length];
        var box = new SequenceBox(FIRSTKEY, prefix);
        assertEquals(-1, box.open(counter + 1, BOX, 0, BOX.length, out, 0));
        assertEquals(-1, box.open(counter - 1, BOX, 0, BOX.length, out, 0));
        assertEquals(-1, box.open(counter ^ (1L << 63), BOX, 0, BOX.length, out, 0));

        var otherPrefix = prefix.clone();
        otherPrefix[15] ^= 1;
        assertEquals(-1, new SequenceBox(FIRSTKEY, otherPrefix).open(counter, BOX, 0, BOX.length, out, 0));

        var otherKey = FIRSTKEY.clone();
        otherKey[0] ^= 1;
        assertEquals(-1, new SequenceBox(otherKey, prefix).open(counter, BOX, 0, BOX.length, out, 0));

        // A box whose tag verifies: only the nonce it was sealed under opens it.
        assertEquals(MESSAGE[0] & 0xFF, box.open(counter, BOX, 0, BOX.length, out, 0));
    }

    @Test
    void tooShortBoxIsRefused() {
        var box = new SequenceBox(FIRSTKEY, CLIENT_PREFIX);
        var out = new byte[32];
        for (int len = 0; len <= SequenceBox.MAC_BYTES; len++) {
            assertEquals(-1, box.open(1, new byte[32], 0, len, out, 0), "length " + len);
        }
        // The smallest box that can verify: tag and flags byte, no data.
        var sealed = new byte[17];
        box.seal(1, (byte) 3, new byte[0], 0, 0, sealed, 0);
        assertEquals(3, box.open(1, sealed, 0, 17, out, 0));
    }

    @Test
    void wipedBoxRefusesToWork() {
        var box = new SequenceBox(FIRSTKEY, CLIENT_PREFIX);
        var sealed = new byte[20];
        box.seal(1, (byte) 0, new byte[3], 0, 3, sealed, 0);
        box.wipe();
        assertThrows(IllegalStateException.class, () -> box.seal(2, (byte) 0, new byte[3], 0, 3, new byte[20], 0));
        assertThrows(IllegalStateException.class, () -> box.open(1, sealed, 0, 20, new byte[3], 0));
    }

    @Test
    void badKeyOrPrefixSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SequenceBox(new byte[31], CLIENT_PREFIX));
        assertThrows(IllegalArgumentException.class, () -> new SequenceBox(FIRSTKEY, new byte[24]));
    }
}
