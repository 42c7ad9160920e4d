package dev.zmq.spring.aot;

import dev.zmq.Message;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What zmq-core looks up reflectively, for native images: {@code Class.forName} of
 * {@link Message} (to initialize it early) and of Bouncy Castle's XSalsa20 engine (the probe that
 * tells whether CURVE can run), plus the Bouncy Castle classes CURVE uses when Bouncy Castle is on
 * the classpath. Listener methods get theirs from {@code @ZmqListener}, which is {@code @Reflective}.
 */
public class ZmqRuntimeHints implements RuntimeHintsRegistrar {
    /** The Bouncy Castle classes zmq-core's CURVE uses. */
    public static final String[] BOUNCY_CASTLE = {
            "org.bouncycastle.crypto.engines.XSalsa20Engine", "org.bouncycastle.crypto.engines.Salsa20Engine",
            "org.bouncycastle.crypto.macs.Poly1305", "org.bouncycastle.crypto.params.KeyParameter",
            "org.bouncycastle.crypto.params.ParametersWithIV"};

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.reflection().registerType(Message.class);
        if (ClassUtils.isPresent(BOUNCY_CASTLE[0], classLoader)) {
            for (var type : BOUNCY_CASTLE) {
                hints.reflection().registerType(TypeReference.of(type), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
            }
        }
    }
}
