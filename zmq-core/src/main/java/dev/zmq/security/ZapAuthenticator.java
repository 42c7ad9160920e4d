package dev.zmq.security;

import dev.zmq.ZmqContext;
import dev.zmq.ZmqException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A ready ZAP handler, like czmq's zauth and pyzmq's authenticators: addresses allowed or
 * denied, PLAIN users, and CURVE client keys. Configure it at any time (it is thread-safe), then
 * run it with {@link #start(ZmqContext)}.
 *
 * <p>Rules, applied to every mechanism: if any address is allowed, only those addresses pass;
 * otherwise denied addresses are refused. Then NULL passes; PLAIN needs a known user name and its
 * password (user id: the user name); CURVE needs an allowed public key, or
 * {@link #allowAnyCurveKey(boolean)} (user id: the key in Z85). Refusals are 400 replies.
 *
 * <pre>{@code
 * var auth = new ZapAuthenticator()
 *         .allow("127.0.0.1")
 *         .loadCurveKeys(Path.of("/etc/myapp/clients"));   // public-key = "..." files
 * try (var zap = auth.start(context)) { ... }
 * }</pre>
 */
public final class ZapAuthenticator implements ZapHandler {
    private static final System.Logger LOG = System.getLogger(ZapAuthenticator.class.getName());

    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> passwords = new ConcurrentHashMap<>();
    private final Set<String> curveKeys = ConcurrentHashMap.newKeySet();
    private volatile boolean anyCurveKey;

    /** Allows these IP addresses (and, once any is allowed, only allowed addresses). */
    public ZapAuthenticator allow(String... addresses) {
        allowed.addAll(Set.of(addresses));
        return this;
    }

    /** Refuses these IP addresses (ignored once any address is allowed). */
    public ZapAuthenticator deny(String... addresses) {
        denied.addAll(Set.of(addresses));
        return this;
    }

    /** Accepts PLAIN user {@code username} with {@code password}. */
    public ZapAuthenticator addUser(String username, String password) {
        passwords.put(username, password.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Forgets a PLAIN user. */
    public ZapAuthenticator removeUser(String username) {
        passwords.remove(username);
        return this;
    }

    /** Accepts CURVE clients with this long-term public key (32 bytes). */
    public ZapAuthenticator allowCurveKey(byte[] publicKey) {
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("a CURVE public key is 32 bytes, got " + publicKey.length);
        }
        curveKeys.add(Z85.encode(publicKey));
        return this;
    }

    /** Accepts CURVE clients with this long-term public key (40 Z85 characters). */
    public ZapAuthenticator allowCurveKey(String publicKeyZ85) {
        return allowCurveKey(CurveKeyPair.decodeKey(publicKeyZ85, "public key"));
    }

    /** Stops accepting a CURVE public key. */
    public ZapAuthenticator removeCurveKey(String publicKeyZ85) {
        curveKeys.remove(publicKeyZ85);
        return this;
    }

    /**
     * Accepts the public keys of the certificate files in {@code directory}: every regular file
     * that is a valid {@link CurveCertificate}, the format czmq's zcert and pyzmq's
     * {@code zmq.auth.create_certificates} write (their secret files hold the same public key).
     * Other files are skipped. Returns how many keys were added.
     *
     * @throws UncheckedIOException if the directory cannot be read
     */
    public int loadCurveKeys(Path directory) {
        int added = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (var file : (Iterable<Path>) files.sorted()::iterator) {
                if (!Files.isRegularFile(file) || file.getFileName().toString().startsWith(".")) {
                    continue;
                }
                var key = readPublicKey(file);
                if (key == null) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "no public-key line in " + file + ": skipped");
                } else if (curveKeys.add(key)) {
                    added++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CURVE certificates from " + directory, e);
        }
        return added;
    }

    /** The public key of a certificate file in Z85, or null if it is not a valid certificate. */
    private static String readPublicKey(Path file) throws IOException {
        try {
            return CurveCertificate.parse(Files.readString(file, StandardCharsets.UTF_8)).publicKeyZ85();
        } catch (ZmqException e) {
            return null;
        }
    }

    /** Accepts any CURVE client (encryption without client authentication) when true. */
    public ZapAuthenticator allowAnyCurveKey(boolean any) {
        this.anyCurveKey = any;
        return this;
    }

    /** Runs this authenticator as {@code context}'s ZAP handler. */
    public ZapServer start(ZmqContext context) {
        return ZapServer.start(context, this);
    }

    @Override
    public ZapReply authenticate(ZapRequest request) {
        if (!allowed.isEmpty()) {
            if (!allowed.contains(request.address())) {
                return ZapReply.deny("address " + request.address() + " is not allowed");
            }
        } else if (denied.contains(request.address())) {
            return ZapReply.deny("address " + request.address() + " is denied");
        }
        return switch (request.mechanism()) {
            case "NULL" -> ZapReply.allow("");
            case "PLAIN" -> plain(request);
            case "CURVE" -> curve(request);
            default -> ZapReply.deny("unsupported mechanism " + request.mechanism());
        };
    }

    private ZapReply plain(ZapRequest request) {
        var username = request.username();
        var expected = username == null ? null : passwords.get(username);
        var given = request.credentials().size() == 2 ? request.credentials().get(1) : new byte[0];
        if (expected == null || !MessageDigest.isEqual(expected, given)) {
            return ZapReply.deny("invalid username or password");
        }
        return ZapReply.allow(username);
    }

    private ZapReply curve(ZapRequest request) {
        var key = request.curvePublicKeyZ85();
        if (key == null) {
            return ZapReply.deny("malformed CURVE credentials");
        }
        if (anyCurveKey || curveKeys.contains(key)) {
            return ZapReply.allow(key);
        }
        return ZapReply.deny("unknown CURVE public key");
    }
}
