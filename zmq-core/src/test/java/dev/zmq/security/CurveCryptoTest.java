package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.ZmqException;
import dev.zmq.internal.crypto.NaclBox;
import dev.zmq.internal.crypto.X25519;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Key derivation and crypto_box against known answers: RFC 7748 section 6.1 (the keys NaCl's box
 * tests also use), NaCl's precomputed "firstkey", and boxes produced by libsodium 1.0.18
 * (crypto_box_easy, crypto_secretbox_easy, crypto_core_hsalsa20) for the inputs below.
 */
@Timeout(20)
class CurveCryptoTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ALICE_SK = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] ALICE_PK = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static final byte[] BOB_SK = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    private static final byte[] BOB_PK = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    private static final byte[] FIRSTKEY = HEX.parseHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    private static final byte[] MESSAGE = ("CurveZMQ test vector: the quick brown fox jumps over the lazy dog, twice over to pass"
            + " one Salsa20 block of 64 bytes.").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] BOX = HEX.parseHex("4e16c9621b68760c2b944de96a2142e473eb162c11b3adf72df626dfad370cd0796f84ff600f291869294d2b3ce63cb6474114a4c541fb0e2f40b2b0df54db7b72789b7c98d386731ad7620c2bbfa866dd9926b26f885f8257b75a5f9bf1d29652a47771f4eb910eda01639d661c9736ad2a3ee6ed9742037066a0b4dc65b598fdb60cb0");
    private static final byte[] SECRETBOX = HEX.parseHex("29ef27ed0c76562a104b0a19ae18bf7f127dff0fcae5f5c01809800d542a4de07fe249192c7f97e14d79c20b6451e91b297ca74b9bb5ed86035f94e27e029992cf9a39c90ad7963e13e1f03ef42cd0d328921583aad77619c103a51a121049a5863a8984fafa357f1863cde1a54a12980e0a49f8e967707e49b2e51d6c746ba8004225a5");
    private static final byte[] EMPTY_BOX = HEX.parseHex("2539121d8e234e652d651fa4c8cff880");
    private static final byte[] HSALSA20_OUT = HEX.parseHex("37af9c5788fd2f560d6cdb3474075bad6781ca996955743c18e369a6913e7dfc");

    private static byte[] counting32() {
        var key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        return key;
    }

    @Test
    void publicKeysDerivedAsRfc7748() throws Exception {
        assertArrayEquals(ALICE_PK, X25519.publicKey(ALICE_SK));
        assertArrayEquals(BOB_PK, X25519.publicKey(BOB_SK));
        assertArrayEquals(BOB_PK, CurveKeyPair.derivePublicKey(BOB_SK));
    }

    @Test
    void sharedSecretAsRfc7748() throws Exception {
        var rfc = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(rfc, X25519.sharedSecret(ALICE_SK, BOB_PK));
        assertArrayEquals(rfc, X25519.sharedSecret(BOB_SK, ALICE_PK));
    }

    @Test
    void libzmqTestKeysDerive() {
        // libzmq's test suite key pairs, public keys as zmq_curve_public computes them.
        assertEquals("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
                CurveKeyPair.fromSecretKey("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6").publicKeyZ85());
        assertEquals("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID",
                CurveKeyPair.fromSecretKey("D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs").publicKeyZ85());
    }

    @Test
    void hsalsa20AsLibsodium() {
        assertArrayEquals(HSALSA20_OUT, NaclBox.hsalsa20(counting32(), java.util.Arrays.copyOf(NONCE, 16)));
    }

    @Test
    void beforenmIsNaclFirstkey() throws Exception {
        assertArrayEquals(FIRSTKEY, NaclBox.beforenm(BOB_PK, ALICE_SK));
        assertArrayEquals(FIRSTKEY, NaclBox.beforenm(ALICE_PK, BOB_SK));
    }

    @Test
    void boxAsLibsodium() {
        var box = new NaclBox();
        assertArrayEquals(BOX, box.seal(FIRSTKEY, NONCE, MESSAGE));
        assertArrayEquals(MESSAGE, box.open(FIRSTKEY, NONCE, BOX));
        assertArrayEquals(EMPTY_BOX, box.seal(FIRSTKEY, NONCE, new byte[0]));
        assertArrayEquals(new byte[0], box.open(FIRSTKEY, NONCE, EMPTY_BOX));
    }

    @Test
    void secretboxAsLibsodium() {
        var box = new NaclBox();
        assertArrayEquals(SECRETBOX, box.seal(counting32(), NONCE, MESSAGE));
        assertArrayEquals(MESSAGE, box.open(counting32(), NONCE, SECRETBOX));
    }

    @Test
    void tamperingWrongKeyOrNonceIsDetected() throws Exception {
        var box = new NaclBox();
        for (int i = 0; i < BOX.length; i++) {
            var bad = BOX.clone();
            bad[i] ^= 0x01;
            assertNull(box.open(FIRSTKEY, NONCE, bad), "flipped bit in byte " + i);
        }
        var otherNonce = NONCE.clone();
        otherNonce[23]++;
        assertNull(box.open(FIRSTKEY, otherNonce, BOX));
        assertNull(box.open(counting32(), NONCE, BOX));
        assertNull(box.open(FIRSTKEY, NONCE, new byte[15]));
        // And a wrong long-term key gives another precomputed key.
        var eve = CurveKeyPair.generate();
        assertFalse(java.util.Arrays.equals(FIRSTKEY, NaclBox.beforenm(BOB_PK, eve.secretKey())));
    }

    @Test
    void generatedPairsAgree() throws Exception {
        var a = CurveKeyPair.generate();
        var b = CurveKeyPair.generate();
        assertArrayEquals(NaclBox.beforenm(b.publicKey(), a.secretKey()), NaclBox.beforenm(a.publicKey(), b.secretKey()));
        assertEquals(a, CurveKeyPair.fromSecretKey(a.secretKeyZ85()));
        assertTrue(a.toString().contains(a.publicKeyZ85()));
        assertFalse(a.toString().contains(a.secretKeyZ85()), "toString never shows the secret key");
    }

    @Test
    void badKeysAreRefusedClearly() {
        var e = assertThrows(ZmqException.class, () -> CurveKeyPair.fromSecretKey(new byte[31]));
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
        e = assertThrows(ZmqException.class, () -> CurveKeyPair.fromSecretKey("tooShort"));
        assertTrue(e.getMessage().contains("40 characters"), e.getMessage());
    }
}
