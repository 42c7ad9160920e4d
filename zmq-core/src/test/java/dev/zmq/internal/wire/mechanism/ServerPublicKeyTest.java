package dev.zmq.internal.wire.mechanism;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.internal.options.Options;
import dev.zmq.security.CurveKeyPair;
import org.junit.jupiter.api.Test;

/** A CURVE server socket derives its public key once per secret key, and anew when the key changes. */
class ServerPublicKeyTest {
    @Test
    void thePublicKeyIsDerivedOncePerSecretKey() {
        var options = new Options(SocketType.PULL);
        var first = CurveKeyPair.generate();
        options.set(SocketOption.CURVE_SERVER, true);
        options.set(SocketOption.CURVE_SECRETKEY, first.secretKey());
        var derived = Mechanisms.serverPublicKey(options);
        assertArrayEquals(first.publicKey(), derived);
        assertSame(derived, Mechanisms.serverPublicKey(options), "not derived again for the next connection");
        var second = CurveKeyPair.generate();
        options.set(SocketOption.CURVE_SECRETKEY, second.secretKey());
        assertArrayEquals(second.publicKey(), Mechanisms.serverPublicKey(options), "the key set now, not the one before");
    }
}
