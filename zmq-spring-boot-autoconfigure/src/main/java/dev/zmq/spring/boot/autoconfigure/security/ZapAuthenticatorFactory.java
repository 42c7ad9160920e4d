package dev.zmq.spring.boot.autoconfigure.security;

import dev.zmq.spring.security.Redacted;

import dev.zmq.ZmqException;
import dev.zmq.security.CurveKeyPair;
import dev.zmq.security.ZapAuthenticator;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties.SecurityRole;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Builds the auto-configured {@link ZapAuthenticator} from {@code zmq.security.zap.*}, and checks it
 * can admit someone on each server socket: a PLAIN server with no user, or a CURVE server with no
 * allowed key, would refuse every client, so startup fails instead.
 */
public final class ZapAuthenticatorFactory {
    private static final Log LOG = LogFactory.getLog(ZapAuthenticatorFactory.class);
    private static final String PREFIX = "zmq.security.zap.";

    private ZapAuthenticatorFactory() {
    }

    public static ZapAuthenticator create(ZmqProperties properties) {
        var zap = properties.getSecurity().getZap();
        var auth = new ZapAuthenticator();
        auth.allow(addresses(zap.getAllow(), PREFIX + "allow"));
        auth.deny(addresses(zap.getDeny(), PREFIX + "deny"));
        var users = zap.getPlain().getUsers() == null ? Map.<String, String>of() : zap.getPlain().getUsers();
        users.forEach((user, password) -> {
            if (password == null) {
                var property = PREFIX + "plain.users." + user;
                throw new ZmqConfigurationException(property, null, "user '" + user + "' has no password",
                        "Set " + property + ", e.g. to ${" + user.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                                + "_PASSWORD} to take it from the environment.");
            }
            auth.addUser(user, password);
        });
        var curve = zap.getCurve();
        int keys = curveKeys(auth, curve.getKeys());
        int fromDirectory = curveKeyDirectory(auth, curve.getKeysDirectory());
        auth.allowAnyCurveKey(curve.isAllowAny());
        if (curve.isAllowAny() && keys + fromDirectory > 0) {
            LOG.warn(PREFIX + "curve.allow-any=true accepts every CURVE client: the keys of " + PREFIX + "curve.keys and "
                    + PREFIX + "curve.keys-directory make no difference");
        }
        checkServersCanAdmitSomeone(properties.getSockets(), users.isEmpty(), curve.isAllowAny() || keys > 0 || curve.getKeysDirectory() != null);
        LOG.info("ZAP authenticator: " + users.size() + " PLAIN user(s), " + (curve.isAllowAny() ? "any CURVE client"
                : (keys + fromDirectory) + " CURVE client key(s)") + (zap.getAllow().isEmpty() ? "" : ", addresses allowed " + zap.getAllow())
                + (zap.getDeny().isEmpty() ? "" : ", addresses denied " + zap.getDeny()));
        return auth;
    }

    private static String[] addresses(List<String> addresses, String property) {
        if (addresses == null) {
            return new String[0];
        }
        for (int i = 0; i < addresses.size(); i++) {
            var address = addresses.get(i);
            if (address == null || address.isBlank() || address.contains("://") || address.contains("*")) {
                throw new ZmqConfigurationException(property + "[" + i + "]", address, "not a client IP address",
                        "Set " + property + "[" + i + "] to an IP address as ZAP reports it, e.g. 10.0.0.5 or ::1 (no port, no wildcard).");
            }
        }
        return addresses.stream().map(String::strip).toArray(String[]::new);
    }

    private static int curveKeys(ZapAuthenticator auth, List<String> keys) {
        if (keys == null) {
            return 0;
        }
        for (int i = 0; i < keys.size(); i++) {
            var key = keys.get(i);
            var property = PREFIX + "curve.keys[" + i + "]";
            try {
                auth.allowCurveKey(CurveKeyPair.decodeKey(key == null ? "" : key.strip(), "public key"));
            } catch (ZmqException e) {
                throw new ZmqConfigurationException(property, Redacted.of(key), "not a CURVE public key: " + e.getMessage(),
                        SecurityResolver.withPlaceholderHint("Set " + property + " to a client's 40-character Z85 public key.", key), e);
            }
        }
        return keys.size();
    }

    private static int curveKeyDirectory(ZapAuthenticator auth, String directory) {
        if (directory == null) {
            return 0;
        }
        var property = PREFIX + "curve.keys-directory";
        try {
            var path = Path.of(directory);
            if (!Files.isDirectory(path)) {
                throw new ZmqConfigurationException(property, directory, "not a directory",
                        "Set " + property + " to the directory of the client certificates (e.g. alice.key written by pyzmq's"
                                + " zmq.auth.create_certificates).");
            }
            int added = auth.loadCurveKeys(path);
            if (added == 0) {
                LOG.warn(property + "=" + directory + " holds no CURVE certificate: no client key is accepted from it");
            }
            return added;
        } catch (UncheckedIOException | InvalidPathException e) {
            throw new ZmqConfigurationException(property, directory, "cannot read the directory: " + e.getMessage(),
                    "Check that " + property + " names a readable directory.", e);
        }
    }

    private static void checkServersCanAdmitSomeone(Map<String, ZmqProperties.Socket> sockets, boolean noUsers, boolean someCurveKey) {
        for (var entry : sockets.entrySet()) {
            var security = entry.getValue() == null ? null : entry.getValue().getSecurity();
            if (security == null) {
                continue;
            }
            if (noUsers && security.getPlain() != null && security.getPlain().getRole() == SecurityRole.SERVER) {
                throw new ZmqConfigurationException(PREFIX + "plain.users", Map.of(),
                        "socket '" + entry.getKey() + "' is a PLAIN server, but no user is configured: every client would be refused",
                        "Add users under " + PREFIX + "plain.users (name: password, e.g. alice: ${ALICE_PASSWORD}), or declare a"
                                + " ZapHandler bean that checks them.");
            }
            if (!someCurveKey && security.getCurve() != null && security.getCurve().getRole() == SecurityRole.SERVER) {
                throw new ZmqConfigurationException(PREFIX + "curve.keys-directory", null,
                        "socket '" + entry.getKey() + "' is a CURVE server, but no client key is allowed: every client would be refused",
                        "Set " + PREFIX + "curve.keys-directory to a directory of client certificates (pyzmq's"
                                + " zmq.auth.create_certificates writes them), list public keys in " + PREFIX + "curve.keys, or set "
                                + PREFIX + "curve.allow-any=true to accept any client that knows the server's public key (encryption"
                                + " without client authentication), or declare a ZapHandler bean.");
            }
        }
    }
}
