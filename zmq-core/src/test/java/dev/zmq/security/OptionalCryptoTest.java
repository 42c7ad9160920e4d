package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.ZmqContext;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bouncy Castle is optional: zmq-core loaded without it (a class loader that sees only zmq-core's
 * classes) still makes CURVE keys (JDK X25519), and asking a socket for CURVE fails with a
 * ZmqException that names the missing dependency.
 */
@Timeout(30)
class OptionalCryptoTest {

    @Test
    void curveWithoutBouncyCastleFailsClearly() throws Exception {
        URL classes = Path.of(ZmqContext.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toURL();
        try (var loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.bouncycastle.crypto.engines.XSalsa20Engine"));

            var keyPair = loader.loadClass("dev.zmq.security.CurveKeyPair");
            var generated = keyPair.getMethod("generate").invoke(null);
            assertEquals(40, ((String) keyPair.getMethod("publicKeyZ85").invoke(generated)).length());

            var contextClass = loader.loadClass("dev.zmq.ZmqContext");
            var typeClass = loader.loadClass("dev.zmq.SocketType");
            var optionClass = loader.loadClass("dev.zmq.SocketOption");
            var socketClass = loader.loadClass("dev.zmq.ZmqSocket");
            var context = contextClass.getConstructor().newInstance();
            try {
                @SuppressWarnings({"unchecked", "rawtypes"})
                Object pull = Enum.valueOf((Class) typeClass, "PULL");
                var socket = contextClass.getMethod("socket", typeClass).invoke(context, pull);
                var curveServer = optionClass.getField("CURVE_SERVER").get(null);
                var set = socketClass.getMethod("set", optionClass, Object.class);
                var failure = assertThrows(InvocationTargetException.class, () -> set.invoke(socket, curveServer, true)).getCause();
                assertEquals("dev.zmq.ZmqException", failure.getClass().getName());
                assertTrue(failure.getMessage().contains("org.bouncycastle:bcprov-jdk18on"), failure.getMessage());
                // PLAIN needs no cryptography and still works.
                set.invoke(socket, optionClass.getField("PLAIN_SERVER").get(null), true);
                socketClass.getMethod("close").invoke(socket);
            } finally {
                contextClass.getMethod("close").invoke(context);
            }
        }
    }
}
