package dev.zmq.spring.security;

import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.security.ZapHandler;
import dev.zmq.security.ZapReply;
import dev.zmq.security.ZapRequest;
import dev.zmq.security.ZapServer;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.lifecycle.ZmqPhases;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the application's {@link ZapHandler} (the auto-configured {@code ZapAuthenticator} or a bean
 * of the application) as the context's ZAP handler, answering only the domains of
 * {@code zmq.security.zap.domains} (all when empty).
 *
 * <p>It starts before the first socket that needs it binds or connects (the socket factory calls
 * {@link #prepare}), so no client is ever let in unchecked, and stops in phase {@link ZmqPhases#ZAP},
 * after every socket closed.
 */
public class ZmqZapServer implements SmartLifecycle {
    private static final Log LOG = LogFactory.getLog(ZmqZapServer.class);

    private final ZmqContext context;
    private final ZapHandler handler;
    private final Set<String> domains;
    private ZapServer server;

    public ZmqZapServer(ZmqContext context, ZapHandler handler, Collection<String> domains) {
        this.context = context;
        this.handler = handler;
        this.domains = Set.copyOf(new LinkedHashSet<>(domains));
    }

    /** The handler answering requests. */
    public ZapHandler handler() {
        return handler;
    }

    /** The ZAP domains answered; empty means all. */
    public Set<String> domains() {
        return domains;
    }

    /** Whether requests for {@code domain} (null or empty: the default domain) are answered. */
    public boolean serves(String domain) {
        return domains.isEmpty() || domains.contains(domain == null ? "" : domain);
    }

    /** Binds the ZAP endpoint of the context, unless already done or the context is closed. */
    public synchronized void ensureStarted() {
        if (server != null || context.isClosed()) {
            return;
        }
        try {
            server = ZapServer.start(context, this::authenticate);
        } catch (ZmqException e) {
            if (e.error() == ZmqError.EADDRINUSE) {
                throw new ZmqConfigurationException("zmq.security.zap.enabled", null,
                        "the ZeroMQ context already has a ZAP handler at " + ZapServer.ENDPOINT,
                        "Declare your handler as a ZapHandler bean (the starter runs it) instead of starting a ZapServer yourself,"
                                + " or set zmq.security.zap.enabled=false to run your own.", e);
            }
            throw e;
        }
        LOG.debug("ZAP handler running" + (domains.isEmpty() ? "" : " for domains " + domains));
    }

    private ZapReply authenticate(ZapRequest request) {
        if (!serves(request.domain())) {
            return ZapReply.deny("ZAP domain '" + request.domain() + "' is not served (zmq.security.zap.domains)");
        }
        return handler.authenticate(request);
    }

    /**
     * Called before a socket with {@code mechanism} binds or connects: starts the ZAP handler when the
     * socket needs one, and fails startup when it needs one that is not there.
     *
     * @param zap the ZAP server, or null when there is none
     * @param propertyName turns {@code security.zap-domain} into the full property name
     */
    public static void prepare(ZmqZapServer zap, String socket, Mechanism mechanism, UnaryOperator<String> propertyName) {
        if (!mechanism.authenticatesPeers()) {
            return;
        }
        if (zap != null) {
            if (!zap.serves(mechanism.zapDomain())) {
                var property = propertyName.apply("security.zap-domain");
                throw new ZmqConfigurationException(property, mechanism.zapDomain() == null ? "" : mechanism.zapDomain(),
                        "zmq.security.zap.domains " + zap.domains() + " does not list this domain: every client of socket '"
                                + socket + "' would be refused",
                        "Add the domain to zmq.security.zap.domains, or set " + property + " to one of " + zap.domains() + ".");
            }
            zap.ensureStarted();
            return;
        }
        if (mechanism instanceof Mechanism.CurveServer) {
            LOG.warn("Socket '" + socket + "' is a CURVE server without a ZAP handler (zmq.security.zap.enabled=false):"
                    + " it accepts any client that knows its public key");
            return;
        }
        var property = mechanism instanceof Mechanism.PlainServer ? propertyName.apply("security.plain.role")
                : propertyName.apply("security.zap-domain");
        throw new ZmqConfigurationException(property, mechanism.describe(), (mechanism instanceof Mechanism.PlainServer
                ? "a PLAIN server checks passwords with a ZAP handler and refuses every client without one"
                : "a ZAP domain asks a ZAP handler about each peer, and there is none")
                + " (zmq.security.zap.enabled=false)",
                "Remove zmq.security.zap.enabled=false (the starter then runs your ZapHandler bean, or an authenticator"
                        + " configured by zmq.security.zap.*), or remove " + property + ".");
    }

    @Override
    public void start() {
        ensureStarted();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return ZmqPhases.ZAP;
    }
}
