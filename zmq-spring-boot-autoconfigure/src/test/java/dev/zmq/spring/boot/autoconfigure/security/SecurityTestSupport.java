package dev.zmq.spring.boot.autoconfigure.security;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.spring.boot.autoconfigure.TestSupport;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Helpers of the security tests. */
public final class SecurityTestSupport {
    private SecurityTestSupport() {
    }

    /**
     * A fresh CURVE key pair whose Z85 keys can be written into a property value as they are. Z85's
     * alphabet has '$', '{', ':' and '}', and Spring reads {@code ${name:default}} in a property
     * value as a placeholder and puts its default in its place: a random key containing one reached
     * the application shortened (a 40-character public key bound as 37 characters in a clean-clone
     * CI run on 2026-12-05). An application writes such a key with a backslash before the dollar sign.
     */
    public static dev.zmq.security.CurveKeyPair curveKeys() {
        while (true) {
            var keys = dev.zmq.security.CurveKeyPair.generate();
            if (!keys.publicKeyZ85().contains("${") && !keys.secretKeyZ85().contains("${")) {
                return keys;
            }
        }
    }

    /** Context, security, sockets, listeners and template, as an application with the starter has them. */
    public static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                ZmqSecurityAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
                ZmqTemplateAutoConfiguration.class));
    }

    /**
     * Adds {@code variables} as a property source of the same kind as the process environment, so
     * that {@code ${NAME}} placeholders resolve from them as they would from environment variables.
     */
    public static ApplicationContextInitializer<ConfigurableApplicationContext> environment(Map<String, Object> variables) {
        return context -> context.getEnvironment().getPropertySources()
                .addLast(new SystemEnvironmentPropertySource("testEnvironment", variables));
    }

    /**
     * Asserts {@code secret} appears nowhere in what Boot would print about {@code failure}: the failure
     * analysis and the message and toString of every exception of the chain.
     */
    public static void assertNotLeaked(Throwable failure, String secret) {
        var text = new StringBuilder();
        var analysis = TestSupport.analyze(failure);
        text.append(analysis.getDescription()).append('\n').append(analysis.getAction()).append('\n');
        for (var t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n').append(t.getMessage()).append('\n');
        }
        assertThat(text.toString()).as("what is reported about the failure").doesNotContain(secret);
    }
}
