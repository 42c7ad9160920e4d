package dev.zmq.security;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A CURVE certificate file as czmq's {@code zcert} and pyzmq's {@code zmq.auth.create_certificates}
 * write them: a public certificate ({@code name.key}) holds the public key, a secret certificate
 * ({@code name.key_secret}) the public and the secret key, both in Z85:
 *
 * <pre>
 * #   ZeroMQ CURVE **Secret** Certificate
 * metadata
 *     name = "service"
 * curve
 *     public-key = "rq:rM&gt;}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 *     secret-key = "JTKVSB%%)wK0E.X)V&gt;+}o?pNmC{O&amp;4W4b!Ni{Lh6"
 * </pre>
 *
 * <pre>{@code
 * CurveKeyPair mine = CurveCertificate.load(Path.of("/etc/app/service.key_secret")).keyPair();
 * byte[] serverKey = CurveCertificate.load(Path.of("/etc/app/server.key")).publicKey();
 * }</pre>
 *
 * Comment lines ({@code #}) and blank lines are ignored, values may be quoted or not, and the
 * entries of the {@code metadata} section are kept as {@link #metadata()}. A secret key must
 * belong to the public key of the same file. Error messages never repeat a key.
 * {@link ZapAuthenticator#loadCurveKeys(Path)} reads directories of these files.
 */
public final class CurveCertificate {
    private final byte[] publicKey;
    private final byte[] secretKey;
    private final Map<String, String> metadata;

    private CurveCertificate(byte[] publicKey, byte[] secretKey, Map<String, String> metadata) {
        this.publicKey = publicKey;
        this.secretKey = secretKey;
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Reads a certificate file (UTF-8).
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws ZmqException EINVAL naming the file and the problem if it is not a valid certificate
     */
    public static CurveCertificate load(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CURVE certificate " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (ZmqException e) {
            throw new ZmqException(ZmqError.EINVAL, file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a certificate file.
     *
     * @throws ZmqException EINVAL if there is no valid {@code public-key}, the {@code secret-key} is
     *         not a valid key, or the secret key does not belong to the public key
     */
    public static CurveCertificate parse(String text) {
        Objects.requireNonNull(text, "text");
        String publicZ85 = null;
        String secretZ85 = null;
        var metadata = new LinkedHashMap<String, String>();
        String section = "";
        for (var rawLine : text.split("\r?\n|\r")) {
            var line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                section = line;
                continue;
            }
            var name = line.substring(0, eq).strip();
            var value = unquote(line.substring(eq + 1).strip());
            if (section.equals("metadata")) {
                metadata.put(name, value);
            } else if (name.equals("public-key")) {
                publicZ85 = value;
            } else if (name.equals("secret-key")) {
                secretZ85 = value;
            }
        }
        if (publicZ85 == null) {
            throw new ZmqException(ZmqError.EINVAL, "no public-key entry: not a CURVE certificate (czmq zcert or pyzmq format)");
        }
        var publicKey = CurveKeyPair.decodeKey(publicZ85, "public key");
        byte[] secretKey = null;
        if (secretZ85 != null && !secretZ85.isEmpty()) {
            secretKey = CurveKeyPair.decodeKey(secretZ85, "secret key");
            if (!MessageDigest.isEqual(CurveKeyPair.derivePublicKey(secretKey), publicKey)) {
                throw new ZmqException(ZmqError.EINVAL, "the secret-key does not belong to the public-key of the certificate");
            }
        }
        return new CurveCertificate(publicKey, secretKey, metadata);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** The public key, 32 bytes (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as 40 Z85 characters. */
    public String publicKeyZ85() {
        return Z85.encode(publicKey);
    }

    /** Whether this is a secret certificate (it has a secret key). */
    public boolean hasSecretKey() {
        return secretKey != null;
    }

    /**
     * The key pair of a secret certificate.
     *
     * @throws ZmqException EINVAL if this is a public certificate (no secret key)
     */
    public CurveKeyPair keyPair() {
        if (secretKey == null) {
            throw new ZmqException(ZmqError.EINVAL, "a public certificate has no secret-key: use the secret certificate"
                    + " (pyzmq and czmq name it <name>.key_secret)");
        }
        return new CurveKeyPair(publicKey, secretKey);
    }

    /** The entries of the {@code metadata} section, in file order (unmodifiable). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Shows the public key only. */
    @Override
    public String toString() {
        return "CurveCertificate[public=" + publicKeyZ85() + ", secret=" + (secretKey == null ? "none" : "<hidden>")
                + ", metadata=" + metadata + "]";
    }
}
