package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketOption;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.crypto.CurveSupport;
import dev.zmq.internal.crypto.X25519;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.wire.Metadata;
import java.security.GeneralSecurityException;

/** Builds the mechanism a socket's options select, for one new connection. */
public final class Mechanisms {
    /** Names a CURVE server's public key among the values derived from its socket's options. */
    private static final Object SERVER_PUBLIC_KEY = new Object();

    private Mechanisms() {
    }

    /**
     * Checks, at bind/connect time, that the selected mechanism has what it needs, so a
     * misconfiguration fails with a clear error in the caller's thread instead of in every handshake.
     */
    public static void validate(Options options) {
        if (!options.mechanism().equals("CURVE")) {
            return;
        }
        CurveSupport.require();
        var missing = new java.util.ArrayList<String>();
        if (!options.asServer() && options.get(SocketOption.CURVE_SERVERKEY).length != 32) {
            missing.add("CURVE_SERVERKEY (the server's public key)");
        }
        if (!options.asServer() && options.get(SocketOption.CURVE_PUBLICKEY).length != 32) {
            missing.add("CURVE_PUBLICKEY");
        }
        if (options.get(SocketOption.CURVE_SECRETKEY).length != 32) {
            missing.add("CURVE_SECRETKEY");
        }
        if (!missing.isEmpty()) {
            throw new ZmqException(ZmqError.EINVAL, "a CURVE " + (options.asServer() ? "server" : "client") + " needs "
                    + String.join(", ", missing) + " (generate keys with dev.zmq.security.CurveKeyPair)");
        }
    }

    /** A fresh mechanism for one connection. */
    public static Mechanism create(Options options, Metadata ours) {
        var zap = new ZapSettings(options.get(SocketOption.ZAP_DOMAIN), options.get(SocketOption.ROUTING_ID));
        return switch (options.mechanism()) {
            case "PLAIN" -> options.asServer()
                    ? new PlainServer(ours, zap)
                    : new PlainClient(ours, options.get(SocketOption.PLAIN_USERNAME), options.get(SocketOption.PLAIN_PASSWORD));
            case "CURVE" -> curve(options, ours, zap);
            default -> new NullMechanism(ours, zap.domain().isEmpty() ? null : zap);
        };
    }

    private static Mechanism curve(Options options, Metadata ours, ZapSettings zap) {
        CurveSupport.require();
        if (!options.asServer()) {
            return new CurveClient(ours, options.get(SocketOption.CURVE_PUBLICKEY), options.get(SocketOption.CURVE_SECRETKEY),
                    options.get(SocketOption.CURVE_SERVERKEY));
        }
        return new CurveServer(ours, options.get(SocketOption.CURVE_SECRETKEY), serverPublicKey(options).clone(), zap);
    }

    /**
     * A CURVE server socket's public key (CURVE_SECRETKEY's), derived once per secret key rather than
     * once per connection: a Curve25519 multiplication each. The array is shared: copy it to keep it.
     */
    static byte[] serverPublicKey(Options options) {
        return options.derived(SERVER_PUBLIC_KEY, () -> {
            try {
                return X25519.publicKey(options.get(SocketOption.CURVE_SECRETKEY));
            } catch (GeneralSecurityException e) {
                throw new ZmqException(ZmqError.EINVAL, "CURVE_SECRETKEY is not a usable Curve25519 key: " + e.getMessage(), e);
            }
        });
    }
}
