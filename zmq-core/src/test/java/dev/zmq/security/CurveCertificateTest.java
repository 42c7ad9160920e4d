package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CurveCertificateTest {
    private static final CurveKeyPair PAIR = CurveKeyPair.generate();

    private static String secretFile(CurveKeyPair pair) {
        return """
                #   ****  Generated on 2024-01-01 by czmq  ****
                #   ZeroMQ CURVE **Secret** Certificate
                #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.

                metadata
                    name = "service"
                    public-key = "not a key: metadata entries are kept as metadata"
                curve
                    public-key = "%s"
                    secret-key = "%s"
                """.formatted(pair.publicKeyZ85(), pair.secretKeyZ85());
    }

    @Test
    void secretCertificateGivesTheKeyPairAndItsMetadata() {
        var cert = CurveCertificate.parse(secretFile(PAIR));
        assertTrue(cert.hasSecretKey());
        assertEquals(PAIR, cert.keyPair());
        assertArrayEquals(PAIR.publicKey(), cert.publicKey());
        assertEquals(PAIR.publicKeyZ85(), cert.publicKeyZ85());
        assertEquals(Map.of("name", "service", "public-key", "not a key: metadata entries are kept as metadata"), cert.metadata());
    }

    @Test
    void publicCertificateWithUnquotedValuesHasNoKeyPair() {
        var cert = CurveCertificate.parse("metadata\ncurve\r\n    public-key = " + PAIR.publicKeyZ85() + "\r\n");
        assertFalse(cert.hasSecretKey());
        assertEquals(PAIR.publicKeyZ85(), cert.publicKeyZ85());
        var e = assertThrows(ZmqException.class, cert::keyPair);
        assertEquals(ZmqError.EINVAL, e.error());
        assertTrue(e.getMessage().contains(".key_secret"), e.getMessage());
    }

    @Test
    void toStringNeverShowsTheSecretKey() {
        var text = CurveCertificate.parse(secretFile(PAIR)).toString();
        assertTrue(text.contains(PAIR.publicKeyZ85()), text);
        assertFalse(text.contains(PAIR.secretKeyZ85()), text);
        assertTrue(text.contains("secret=<hidden>"), text);
    }

    @Test
    void malformedCertificatesAreRefusedWithoutRepeatingTheKey() {
        var noPublic = assertThrows(ZmqException.class, () -> CurveCertificate.parse("metadata\ncurve\n"));
        assertTrue(noPublic.getMessage().contains("no public-key"), noPublic.getMessage());

        var shortSecret = PAIR.secretKeyZ85().substring(1);
        var badSecret = assertThrows(ZmqException.class, () -> CurveCertificate.parse(
                "curve\n public-key = \"" + PAIR.publicKeyZ85() + "\"\n secret-key = \"" + shortSecret + "\"\n"));
        assertEquals(ZmqError.EINVAL, badSecret.error());
        assertTrue(badSecret.getMessage().contains("40 characters, got 39"), badSecret.getMessage());
        assertFalse(badSecret.getMessage().contains(shortSecret));

        var other = CurveKeyPair.generate();
        var mismatch = assertThrows(ZmqException.class, () -> CurveCertificate.parse(
                "curve\n public-key = \"" + PAIR.publicKeyZ85() + "\"\n secret-key = \"" + other.secretKeyZ85() + "\"\n"));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());
        assertFalse(mismatch.getMessage().contains(other.secretKeyZ85()));
    }

    @Test
    void loadNamesTheFileInErrors(@TempDir Path dir) throws Exception {
        var missing = dir.resolve("missing.key_secret");
        var io = assertThrows(UncheckedIOException.class, () -> CurveCertificate.load(missing));
        assertTrue(io.getMessage().contains(missing.toString()), io.getMessage());

        var junk = Files.writeString(dir.resolve("junk.key"), "hello\n");
        var invalid = assertThrows(ZmqException.class, () -> CurveCertificate.load(junk));
        assertTrue(invalid.getMessage().startsWith(junk + ": no public-key"), invalid.getMessage());
    }

    @Test
    void readsTheFilesPyzmqWrites(@TempDir Path dir) {
        PyzmqPeer.createCertificates(dir, "client");
        var secret = CurveCertificate.load(dir.resolve("client.key_secret"));
        var pub = CurveCertificate.load(dir.resolve("client.key"));
        assertTrue(secret.hasSecretKey());
        assertFalse(pub.hasSecretKey());
        assertEquals(pub.publicKeyZ85(), secret.keyPair().publicKeyZ85());
        assertEquals(CurveKeyPair.fromSecretKey(secret.keyPair().secretKey()), secret.keyPair());
    }

    @Test
    void theAuthenticatorSkipsInvalidCertificatesInItsDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.key"), "curve\n    public-key = \"" + PAIR.publicKeyZ85() + "\"\n");
        Files.writeString(dir.resolve("bad.key"), "curve\n    public-key = \"tooShort\"\n");
        Files.writeString(dir.resolve("README"), "not a certificate\n");
        var auth = new ZapAuthenticator();
        assertEquals(1, auth.loadCurveKeys(dir));
        var request = new ZapRequest("", "127.0.0.1", new byte[0], "CURVE", java.util.List.of(PAIR.publicKey()));
        assertTrue(auth.authenticate(request).allowed());
    }
}
