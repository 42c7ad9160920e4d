package dev.zmq.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our Poly1305: RFC 8439's test vector, libsodium's tags (crypto_onetimeauth_poly1305 from
 * libsodium 1.0.18, the one libzmq 4.3.4 links here, through ctypes) over every length from 0 to
 * 299 and for an all-ones key and message (every limb carrying), and Bouncy Castle's Poly1305 for
 * random keys, lengths and offsets.
 */
@Timeout(20)
class OneTimeAuthTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The key as SequenceBox hands it over: eight little-endian words. */
    private static int[] words(byte[] key) {
        var w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = OneTimeAuth.le32(key, 4 * i);
        }
        return w;
    }

    private static byte[] tag(byte[] key, byte[] m, int off, int len) {
        var tag = new byte[16];
        assertTrue(OneTimeAuth.mac(words(key), 0, m, off, len, tag, 0, false));
        return tag;
    }

    private static byte[] bouncyCastleTag(byte[] key, byte[] m, int off, int len) {
        var mac = new org.bouncycastle.crypto.macs.Poly1305();
        mac.init(new KeyParameter(key));
        mac.update(m, off, len);
        var tag = new byte[16];
        mac.doFinal(tag, 0);
        return tag;
    }

    @Test
    void rfc8439Vector() {
        // RFC 8439 section 2.5.2.
        var key = HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        var m = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", HEX.formatHex(tag(key, m, 0, m.length)));
    }

    @Test
    void libsodiumTagsForEveryLengthTo299() throws Exception {
        // key[i] = i*53+11, message byte j of length L = j*37+L; SHA-256 over the 300 tags in order.
        var key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (i * 53 + 11);
        }
        var sha = MessageDigest.getInstance("SHA-256");
        for (int len = 0; len < 300; len++) {
            var m = new byte[len];
            for (int j = 0; j < len; j++) {
                m[j] = (byte) (j * 37 + len);
            }
            sha.update(tag(key, m, 0, len));
        }
        assertEquals("b09abb6cdcd2ec7569f5f5c332bb9efc9ae17bca5faa13d01f9b8017ef8b1f21", HEX.formatHex(sha.digest()));
    }

    @Test
    void libsodiumTagForAllOnes() {
        var key = new byte[32];
        Arrays.fill(key, (byte) 0xFF);
        var m = new byte[100];
        Arrays.fill(m, (byte) 0xFF);
        assertEquals("b99c030d7ce939bb6607393e68656f22", HEX.formatHex(tag(key, m, 0, m.length)));
    }

    @Test
    void accumulatorBetweenPAndTwoToThe130IsReduced() {
        // r = 1 and two blocks of 0xFF: h = 2 (2^128 - 1) + 2 * 2^128 = 2^130 - 2, just above
        // p = 2^130 - 5, so the final reduction must take h - p = 3 (the masked select's other side).
        // libsodium's tags: 03 00.. with s = 0, and 02 00.. with s = 2^128 - 1 (the carry out dropped).
        var key = new byte[32];
        key[0] = 1;
        var m = new byte[32];
        Arrays.fill(m, (byte) 0xFF);
        assertEquals("03000000000000000000000000000000", HEX.formatHex(tag(key, m, 0, m.length)));
        Arrays.fill(key, 16, 32, (byte) 0xFF);
        assertEquals("02000000000000000000000000000000", HEX.formatHex(tag(key, m, 0, m.length)));
        assertArrayEquals(bouncyCastleTag(key, m, 0, m.length), tag(key, m, 0, m.length));
    }

    @Test
    void sameTagsAsBouncyCastle() {
        var random = new Random(1305);
        var key = new byte[32];
        for (int round = 0; round < 4000; round++) {
            random.nextBytes(key);
            if (round % 7 == 0) {
                Arrays.fill(key, 0, 16, (byte) 0xFF); // r at its clamped maximum
            }
            int len = round < 400 ? round % 100 : random.nextInt(600);
            int off = random.nextInt(5);
            var m = new byte[off + len + 3];
            random.nextBytes(m);
            if (round % 5 == 0) {
                Arrays.fill(m, (byte) 0xFF);
            }
            assertArrayEquals(bouncyCastleTag(key, m, off, len), tag(key, m, off, len), "round " + round + ", length " + len);
        }
    }

    @Test
    void everyFlippedBitChangesTheTag() {
        var random = new Random(5);
        var key = new byte[32];
        random.nextBytes(key);
        var m = new byte[65];
        random.nextBytes(m);
        var good = tag(key, m, 0, m.length);
        assertTrue(verifies(key, m, good));
        for (int i = 0; i < m.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                m[i] ^= (byte) (1 << bit);
                assertFalse(verifies(key, m, good), "bit " + bit + " of byte " + i);
                m[i] ^= (byte) (1 << bit);
            }
        }
        var copy = good.clone();
        for (int i = 0; i < 16; i++) {
            for (int bit = 0; bit < 8; bit++) {
                copy[i] ^= (byte) (1 << bit);
                assertFalse(verifies(key, m, copy), "tag bit " + bit + " of byte " + i);
                copy[i] ^= (byte) (1 << bit);
            }
        }
    }

    @Test
    void verifyingWritesNothing() {
        var random = new Random(6);
        var key = new byte[32];
        random.nextBytes(key);
        var m = new byte[65];
        random.nextBytes(m);
        var wrong = tag(key, m, 0, m.length);
        wrong[3] ^= 1;
        var before = wrong.clone();
        assertFalse(verifies(key, m, wrong));
        assertArrayEquals(before, wrong);
    }

    /** Whether {@code expected} is the tag of {@code m} under {@code key}, as the opening side asks it. */
    private static boolean verifies(byte[] key, byte[] m, byte[] expected) {
        return OneTimeAuth.mac(words(key), 0, m, 0, m.length, expected, 0, true);
    }
}
