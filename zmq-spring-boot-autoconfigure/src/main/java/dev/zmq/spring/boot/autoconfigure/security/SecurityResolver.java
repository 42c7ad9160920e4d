package dev.zmq.spring.boot.autoconfigure.security;

import dev.zmq.spring.security.Mechanism;
import dev.zmq.spring.security.Redacted;

import dev.zmq.ZmqException;
import dev.zmq.security.CurveCertificate;
import dev.zmq.security.CurveKeyPair;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties.SecurityRole;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.UnaryOperator;

/**
 * Checks {@code zmq.sockets.<name>.security} and turns it into a {@link Mechanism}: keys decoded,
 * key files read. A mistake fails with a {@link ZmqConfigurationException} naming the property and
 * the fix; secrets are never repeated (a {@link Redacted} stands for them).
 */
public final class SecurityResolver {
    private static final String MAKE_KEYS = "pyzmq's zmq.auth.create_certificates(dir, name) writes name.key and name.key_secret;"
            + " zmq.curve_keypair() or dev.zmq.security.CurveKeyPair.generate() give the Z85 strings";

    /**
     * Z85's alphabet has '$', '{', ':' and '}', and Spring reads {@code ${name:default}} inside a
     * property value as a placeholder and puts its default in its place (Boot's binder leaves one
     * without a default as written): a key that contains such a sequence reaches us shortened, and
     * only its owner can see why.
     */
    private static final String PLACEHOLDER_HINT = " If the key as written contains \"${\" with a ':' and a '}' after it,"
            + " Spring replaced that part as a placeholder with a default: put a backslash before its $.";

    private SecurityResolver() {
    }

    /**
     * The mechanism {@code security} asks for ({@link Mechanism#NULL} when it is null).
     *
     * @param propertyName turns a key such as {@code security.curve.role} into the full property name
     */
    public static Mechanism resolve(ZmqProperties.SocketSecurity security, UnaryOperator<String> propertyName) {
        if (security == null) {
            return Mechanism.NULL;
        }
        var names = propertyName;
        var domain = zapDomain(security.getZapDomain(), names);
        if (security.getPlain() != null && security.getCurve() != null) {
            throw new ZmqConfigurationException(names.apply("security"), "plain and curve",
                    "a socket uses one security mechanism, but both plain and curve are set",
                    "Keep either " + names.apply("security.plain") + " or " + names.apply("security.curve") + ".");
        }
        if (security.getPlain() != null) {
            return plain(security.getPlain(), domain, names);
        }
        if (security.getCurve() != null) {
            return curve(security.getCurve(), domain, names);
        }
        return new Mechanism.Null(domain);
    }

    /**
     * Whether {@code security} makes a socket ask the ZAP handler about its peers (a PLAIN or CURVE
     * server, or a ZAP domain), without checking anything else.
     */
    public static boolean authenticatesPeers(ZmqProperties.SocketSecurity security) {
        return security != null && (security.getPlain() != null && security.getPlain().getRole() == SecurityRole.SERVER
                || security.getCurve() != null && security.getCurve().getRole() == SecurityRole.SERVER
                || security.getZapDomain() != null && !security.getZapDomain().isBlank());
    }

    private static String zapDomain(String domain, UnaryOperator<String> names) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        if (domain.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new ZmqConfigurationException(names.apply("security.zap-domain"), domain, "a ZAP domain is at most 255 bytes",
                    "Shorten " + names.apply("security.zap-domain") + ".");
        }
        return domain;
    }

    private static Mechanism plain(ZmqProperties.Plain plain, String domain, UnaryOperator<String> names) {
        var role = role(plain.getRole(), names.apply("security.plain.role"),
                "SERVER (checks clients against zmq.security.zap.plain.users) or CLIENT (sends username and password)");
        if (role == SecurityRole.SERVER) {
            for (var key : new String[] {"username", "password"}) {
                var value = key.equals("username") ? plain.getUsername() : plain.getPassword();
                if (value != null) {
                    var property = names.apply("security.plain." + key);
                    throw new ZmqConfigurationException(property, key.equals("password") ? Redacted.of(value) : value,
                            "a PLAIN server has no " + key + " of its own: it checks the users of zmq.security.zap.plain.users",
                            "Remove " + property + " (or make the socket a client: " + names.apply("security.plain.role") + "=CLIENT).");
                }
            }
            return new Mechanism.PlainServer(domain);
        }
        noClientDomain(domain, names);
        var username = plain.getUsername();
        var usernameProperty = names.apply("security.plain.username");
        if (username == null || username.isEmpty()) {
            throw new ZmqConfigurationException(usernameProperty, username, "a PLAIN client needs a user name",
                    "Set " + usernameProperty + " and " + names.apply("security.plain.password") + ".");
        }
        checkLength(username, usernameProperty, username);
        var password = plain.getPassword();
        var passwordProperty = names.apply("security.plain.password");
        if (password == null) {
            throw new ZmqConfigurationException(passwordProperty, null, "a PLAIN client needs a password",
                    "Set " + passwordProperty + ", e.g. to ${" + envName(username) + "_PASSWORD} to take it from the environment"
                            + " (an empty string sends an empty password).");
        }
        checkLength(password, passwordProperty, Redacted.of(password));
        return new Mechanism.PlainClient(username, password);
    }

    private static void checkLength(String value, String property, Object shown) {
        if (value.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new ZmqConfigurationException(property, shown, "PLAIN user names and passwords are at most 255 bytes",
                    "Shorten " + property + ".");
        }
    }

    private static Mechanism curve(ZmqProperties.Curve curve, String domain, UnaryOperator<String> names) {
        var role = role(curve.getRole(), names.apply("security.curve.role"),
                "SERVER (holds the key pair clients know) or CLIENT (also needs server-key)");
        var keys = ownKeys(curve, role, names);
        if (role == SecurityRole.SERVER) {
            for (var key : new String[] {"server-key", "server-key-file"}) {
                var value = key.equals("server-key") ? curve.getServerKey() : curve.getServerKeyFile();
                if (value != null) {
                    var property = names.apply("security.curve." + key);
                    throw new ZmqConfigurationException(property, key.equals("server-key") ? Redacted.of(value) : value,
                            "a CURVE server has no server key: that is what its clients set",
                            "Remove " + property + " (or make the socket a client: " + names.apply("security.curve.role") + "=CLIENT).");
                }
            }
            return new Mechanism.CurveServer(keys, domain);
        }
        noClientDomain(domain, names);
        return new Mechanism.CurveClient(keys, serverKey(curve, names));
    }

    private static CurveKeyPair ownKeys(ZmqProperties.Curve curve, SecurityRole role, UnaryOperator<String> names) {
        var secretProperty = names.apply("security.curve.secret-key");
        var fileProperty = names.apply("security.curve.key-file");
        var secret = curve.getSecretKey();
        var file = curve.getKeyFile();
        oneSource(secret, secretProperty, file, fileProperty, "the key pair");
        CurveKeyPair keys;
        if (secret != null) {
            keys = decode(secret, "secret key", secretProperty, pair -> CurveKeyPair.fromSecretKey(pair));
        } else if (file != null) {
            var certificate = certificate(file, fileProperty);
            if (!certificate.hasSecretKey()) {
                throw new ZmqConfigurationException(fileProperty, file, "the certificate holds no secret-key: it is a public certificate",
                        "Point " + fileProperty + " to the secret certificate (pyzmq and czmq name it <name>.key_secret).");
            }
            keys = certificate.keyPair();
        } else {
            throw new ZmqConfigurationException(secretProperty, null, role == SecurityRole.SERVER
                    ? "a CURVE server needs its secret key" : "a CURVE client needs its own key pair (the server may check its public key)",
                    "Set " + secretProperty + " to a 40-character Z85 secret key (e.g. ${ZMQ_SECRET_KEY}) or " + fileProperty
                            + " to a secret certificate file; " + MAKE_KEYS + ".");
        }
        var publicKey = curve.getPublicKey();
        if (publicKey != null) {
            var publicProperty = names.apply("security.curve.public-key");
            var given = decode(publicKey, "public key", publicProperty, z85 -> CurveKeyPair.decodeKey(z85, "public key"));
            if (!MessageDigest.isEqual(given, keys.publicKey())) {
                throw new ZmqConfigurationException(publicProperty, Redacted.of(publicKey),
                        "this public key does not belong to the secret key",
                        "Remove " + publicProperty + " (it is derived from the secret key) or correct it.");
            }
        }
        return keys;
    }

    private static byte[] serverKey(ZmqProperties.Curve curve, UnaryOperator<String> names) {
        var keyProperty = names.apply("security.curve.server-key");
        var fileProperty = names.apply("security.curve.server-key-file");
        var key = curve.getServerKey();
        var file = curve.getServerKeyFile();
        oneSource(key, keyProperty, file, fileProperty, "the server key");
        if (key != null) {
            return decode(key, "server key", keyProperty, z85 -> CurveKeyPair.decodeKey(z85, "server key"));
        }
        if (file != null) {
            return certificate(file, fileProperty).publicKey();
        }
        throw new ZmqConfigurationException(keyProperty, null, "a CURVE client needs the server's public key",
                "Set " + keyProperty + " to the server's 40-character Z85 public key or " + fileProperty
                        + " to the server's public certificate (e.g. server.key).");
    }

    /** A key ({@code what}) is set in Z85 or read from a certificate file, not both. */
    private static void oneSource(String z85, String z85Property, String file, String fileProperty, String what) {
        if (z85 != null && file != null) {
            throw new ZmqConfigurationException(fileProperty, file, "both " + z85Property + " and " + fileProperty
                    + " are set: " + what + " comes from one place", "Remove one of " + z85Property + " and " + fileProperty + ".");
        }
    }

    private static CurveCertificate certificate(String file, String property) {
        try {
            return CurveCertificate.load(Path.of(file));
        } catch (UncheckedIOException e) {
            throw new ZmqConfigurationException(property, file, "cannot read the key file: " + e.getCause(),
                    "Check that " + property + " names a readable file (relative paths start from the working directory).", e);
        } catch (ZmqException | java.nio.file.InvalidPathException e) {
            throw new ZmqConfigurationException(property, file, "not a CURVE certificate: " + e.getMessage(),
                    "Point " + property + " to a certificate file in the czmq/pyzmq format; " + MAKE_KEYS + ".", e);
        }
    }

    private static <T> T decode(String z85, String what, String property, java.util.function.Function<String, T> decoder) {
        try {
            return decoder.apply(z85.strip());
        } catch (ZmqException e) {
            // The core's messages say what is wrong (length, bad character position) without repeating the key.
            throw new ZmqConfigurationException(property, Redacted.of(z85), "not a valid CURVE " + what + ": " + e.getMessage(),
                    withPlaceholderHint("Set " + property + " to the 40-character Z85 form of the key; " + MAKE_KEYS + ".", z85), e);
        }
    }

    /** {@code fix}, and when {@code z85} is not 40 characters long, the hint about placeholders in property values. */
    static String withPlaceholderHint(String fix, String z85) {
        return z85 != null && z85.strip().length() != 40 ? fix + PLACEHOLDER_HINT : fix;
    }

    private static SecurityRole role(SecurityRole role, String property, String choices) {
        if (role == null) {
            throw new ZmqConfigurationException(property, null, "the role is missing",
                    "Set " + property + " to " + choices + ".");
        }
        return role;
    }

    private static void noClientDomain(String domain, UnaryOperator<String> names) {
        if (domain != null) {
            var property = names.apply("security.zap-domain");
            throw new ZmqConfigurationException(property, domain, "a ZAP domain applies to server sockets, this one is a client",
                    "Remove " + property + " (set it on the server socket).");
        }
    }

    private static String envName(String username) {
        return username.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
