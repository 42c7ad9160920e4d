package dev.zmq.spring.boot.autoconfigure.security;

import dev.zmq.spring.security.ZmqZapServer;

import dev.zmq.ZmqContext;
import dev.zmq.security.ZapAuthenticator;
import dev.zmq.security.ZapHandler;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * ZAP authentication for PLAIN and CURVE server sockets: a {@link ZapAuthenticator} configured by
 * {@code zmq.security.zap.*} (unless the application declares its own {@link ZapHandler}), created when
 * a socket of {@code zmq.sockets} needs it or {@code zmq.security.zap.enabled=true}, and the
 * {@link ZmqZapServer} that runs whichever handler there is. {@code zmq.security.zap.enabled=false}
 * turns all of it off.
 */
@AutoConfiguration(after = ZmqContextAutoConfiguration.class,
        beforeName = "dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration")
@ConditionalOnClass(ZmqContext.class)
@ConditionalOnBean(ZmqContext.class)
@ConditionalOnBooleanProperty(name = "zmq.security.zap.enabled", matchIfMissing = true)
public final class ZmqSecurityAutoConfiguration {
    private static final Log LOG = LogFactory.getLog(ZmqSecurityAutoConfiguration.class);
    static final String AUTHENTICATOR = "zmqZapAuthenticator";

    @Bean(AUTHENTICATOR)
    @ConditionalOnMissingBean(ZapHandler.class)
    @Conditional(AuthenticatorNeeded.class)
    public ZapAuthenticator zmqZapAuthenticator(ZmqProperties properties) {
        return ZapAuthenticatorFactory.create(properties);
    }

    @Bean
    @ConditionalOnBean(ZapHandler.class)
    @ConditionalOnMissingBean
    public ZmqZapServer zmqZapServer(ZmqContext context, ZapHandler handler, ZmqProperties properties, BeanFactory beanFactory) {
        var zap = properties.getSecurity().getZap();
        if (!beanFactory.containsBean(AUTHENTICATOR) && (!zap.getPlain().getUsers().isEmpty() || !zap.getCurve().getKeys().isEmpty()
                || zap.getCurve().getKeysDirectory() != null || zap.getCurve().isAllowAny() || !zap.getAllow().isEmpty()
                || !zap.getDeny().isEmpty())) {
            LOG.warn("The application's ZapHandler decides who connects: zmq.security.zap.allow, deny, plain.* and curve.* are not used"
                    + " (zmq.security.zap.domains still applies)");
        }
        return new ZmqZapServer(context, handler, zap.getDomains());
    }

    /**
     * {@code zmq.security.zap.enabled=true}, or unset and some socket of {@code zmq.sockets} is a
     * PLAIN or CURVE server or has a ZAP domain.
     */
    static class AuthenticatorNeeded extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var binder = Binder.get(context.getEnvironment());
            if (binder.bind("zmq.security.zap.enabled", Boolean.class).orElse(false)) {
                return ConditionOutcome.match("zmq.security.zap.enabled=true");
            }
            Map<String, ZmqProperties.Socket> sockets;
            try {
                sockets = binder.bind("zmq.sockets", Bindable.mapOf(String.class, ZmqProperties.Socket.class)).orElse(Map.of());
            } catch (RuntimeException e) {
                // Reported with the property at fault when the socket beans are registered.
                return ConditionOutcome.noMatch("zmq.sockets cannot be bound: " + e.getMessage());
            }
            for (var entry : sockets.entrySet()) {
                if (entry.getValue() != null && SecurityResolver.authenticatesPeers(entry.getValue().getSecurity())) {
                    return ConditionOutcome.match("socket '" + entry.getKey() + "' authenticates its clients");
                }
            }
            return ConditionOutcome.noMatch("no socket of zmq.sockets is a PLAIN or CURVE server or has a ZAP domain");
        }
    }
}
