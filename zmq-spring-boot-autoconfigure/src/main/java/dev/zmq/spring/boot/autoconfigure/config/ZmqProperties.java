package dev.zmq.spring.boot.autoconfigure.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything under {@code zmq.*}.
 *
 * <pre>{@code
 * zmq:
 *   context: { io-threads: 2, linger: 3s }
 *   sockets:
 *     orders-out: { type: PUSH, connect: [tcp://orders:5557], options: { sndhwm: 10000, linger: 2s } }
 *     prices:     { type: SUB, connect: [tcp://feed:5556], subscribe: ["EURUSD", "GBPUSD"] }
 *   template: { reply-timeout: 5s }
 * }</pre>
 */
@ConfigurationProperties("zmq")
public class ZmqProperties {

    /** The default LINGER, also the bound of an infinite LINGER at context close. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(3);

    private final Context context = new Context();

    /**
     * Sockets declared by configuration, by name; each becomes a ZmqSocket bean named after its key.
     * A socket takes type, bind, connect, subscribe, options (libzmq option names such as sndhwm or
     * linger), monitor and security (plain or curve, with role and keys). Boot's metadata format
     * cannot describe the properties of a map's values, so IDEs offer only the socket types, the
     * option names and the security roles under a socket.
     */
    private final Map<String, Socket> sockets = new LinkedHashMap<>();

    private final Listener listener = new Listener();

    private final Template template = new Template();

    private final Security security = new Security();

    private final Discovery discovery = new Discovery();

    public Context getContext() {
        return context;
    }

    public Map<String, Socket> getSockets() {
        return sockets;
    }

    public Listener getListener() {
        return listener;
    }

    public Template getTemplate() {
        return template;
    }

    public Security getSecurity() {
        return security;
    }

    public Discovery getDiscovery() {
        return discovery;
    }

    /**
     * {@code discovery://service-id[:port]} connect endpoints, resolved through Spring Cloud's
     * DiscoveryClient (when the application has spring-cloud-commons and a discovery client): the
     * socket connects to every instance of the service and follows the service as instances come
     * and go (on each Spring Cloud heartbeat event, every resolve-ivl, and when a connection fails).
     */
    public static class Discovery {
        /**
         * Instance metadata key whose value is the instance's ZeroMQ port; it wins over the endpoint's
         * port and default-port, so instances may listen on different ports.
         */
        private String portMetadataKey = "zmq-port";

        /** Port of instances whose metadata has none, for discovery endpoints that name no port. */
        private Integer defaultPort;

        public String getPortMetadataKey() {
            return portMetadataKey;
        }

        public void setPortMetadataKey(String portMetadataKey) {
            this.portMetadataKey = portMetadataKey;
        }

        public Integer getDefaultPort() {
            return defaultPort;
        }

        public void setDefaultPort(Integer defaultPort) {
            this.defaultPort = defaultPort;
        }
    }

    /** The application's single {@code ZmqContext}. */
    public static class Context {
        /** Number of background I/O threads. */
        private int ioThreads = 1;

        /**
         * Default LINGER of every socket the starter creates (unless its options set one), and the
         * longest the context waits at shutdown for sockets whose LINGER is infinite. Bounds
         * shutdown: pending messages for peers that do not read are dropped after this long.
         */
        private Duration linger = Duration.ofSeconds(3);

        /**
         * The longest an I/O thread that ran out of work (or a receive awaiting an answer) polls
         * before it sleeps, adapted per thread up to this bound: cuts request-reply latency where waking a sleeping thread is dear (virtual
         * machines), at the cost of processor time while traffic keeps coming. Unset: 200us where the
         * JVM has 2 or more processors, 0 (no polling) where it has 1. At most 10ms; 0 turns it off.
         */
        private Duration ioBusyPoll;

        public int getIoThreads() {
            return ioThreads;
        }

        public void setIoThreads(int ioThreads) {
            this.ioThreads = ioThreads;
        }

        public Duration getLinger() {
            return linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public Duration getIoBusyPoll() {
            return ioBusyPoll;
        }

        public void setIoBusyPoll(Duration ioBusyPoll) {
            this.ioBusyPoll = ioBusyPoll;
        }
    }

    /** One socket. */
    public static class Socket {
        /** Socket type: PAIR, REQ, REP, DEALER, ROUTER, PULL, PUSH, PUB, SUB, XPUB, XSUB, STREAM, or a draft type: CLIENT, SERVER, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL, DGRAM. */
        private String type;

        /** Endpoints to bind, e.g. tcp://*:5555, ipc:///tmp/feed or inproc://jobs. */
        private List<String> bind = new ArrayList<>();

        /** Endpoints to connect to, e.g. tcp://feed:5556. */
        private List<String> connect = new ArrayList<>();

        /** SUB and XSUB: topic prefixes to subscribe to; "" receives everything. DISH: the groups to join. */
        private List<String> subscribe = new ArrayList<>();

        /**
         * Socket options by libzmq name (sndhwm, linger, rcvtimeo, ...). Times take durations
         * (2s, 500ms; a bare number is milliseconds; -1 or "infinite" where libzmq allows it),
         * sizes take data sizes (64KB).
         */
        private Map<String, String> options = new LinkedHashMap<>();

        /** Watch connection events (peers, reconnects, handshake failures) for health and metrics. */
        private boolean monitor = true;

        /**
         * Header envelope: every message starts with a header frame (0xFF 'Z' 'H' 1, then headers such as
         * traceparent, content-type, correlation-id and the application's), after the topic frame on PUB and
         * SUB. Both ends must agree; off, the socket's messages are plain ZeroMQ, byte for byte. Not on DGRAM
         * (a datagram has no room for it).
         */
        private boolean headers = false;

        /** Security mechanism (PLAIN or CURVE; none means NULL) and its keys or credentials. */
        private SocketSecurity security;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public List<String> getBind() {
            return bind;
        }

        public void setBind(List<String> bind) {
            this.bind = bind;
        }

        public List<String> getConnect() {
            return connect;
        }

        public void setConnect(List<String> connect) {
            this.connect = connect;
        }

        public List<String> getSubscribe() {
            return subscribe;
        }

        public void setSubscribe(List<String> subscribe) {
            this.subscribe = subscribe;
        }

        public Map<String, String> getOptions() {
            return options;
        }

        public void setOptions(Map<String, String> options) {
            this.options = options;
        }

        public boolean isHeaders() {
            return headers;
        }

        public void setHeaders(boolean headers) {
            this.headers = headers;
        }

        public boolean isMonitor() {
            return monitor;
        }

        public void setMonitor(boolean monitor) {
            this.monitor = monitor;
        }

        public SocketSecurity getSecurity() {
            return security;
        }

        public void setSecurity(SocketSecurity security) {
            this.security = security;
        }
    }

    /** Which side of a PLAIN or CURVE handshake a socket plays (independent of bind and connect). */
    public enum SecurityRole {
        /** Authenticates clients (through the ZAP authenticator) and, for CURVE, holds the key clients know. */
        SERVER,
        /** Presents credentials (PLAIN) or its key pair and the server's public key (CURVE). */
        CLIENT
    }

    /**
     * {@code zmq.sockets.<name>.security}: at most one of {@code plain} and {@code curve}; neither
     * means the NULL mechanism. Keys and passwords may be {@code ${...}} placeholders, so they can come
     * from environment variables or a vault property source; they never appear in logs, errors,
     * health or actuator output.
     */
    public static class SocketSecurity {
        /** PLAIN: user name and password, sent in clear text; use it on trusted networks or with ipc/inproc only. */
        private Plain plain;

        /** CURVE (CurveZMQ): encrypted, the server authenticated by its key and clients by theirs. Needs org.bouncycastle:bcprov-jdk18on. */
        private Curve curve;

        /**
         * ZAP domain of a server socket, sent to the authenticator with each request (libzmq's
         * ZMQ_ZAP_DOMAIN). Without plain or curve, it makes a NULL socket ask the authenticator about each
         * peer's address.
         */
        private String zapDomain;

        public Plain getPlain() {
            return plain;
        }

        public void setPlain(Plain plain) {
            this.plain = plain;
        }

        public Curve getCurve() {
            return curve;
        }

        public void setCurve(Curve curve) {
            this.curve = curve;
        }

        public String getZapDomain() {
            return zapDomain;
        }

        public void setZapDomain(String zapDomain) {
            this.zapDomain = zapDomain;
        }
    }

    /** {@code zmq.sockets.<name>.security.plain}. */
    public static class Plain {
        /** SERVER checks user names and passwords with the ZAP authenticator (zmq.security.zap.plain.users); CLIENT sends them. */
        private SecurityRole role;

        /** CLIENT: the user name (at most 255 bytes). */
        private String username;

        /** CLIENT: the password (at most 255 bytes), e.g. ${ORDERS_PASSWORD}. */
        private String password;

        public SecurityRole getRole() {
            return role;
        }

        public void setRole(SecurityRole role) {
            this.role = role;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    /**
     * {@code zmq.sockets.<name>.security.curve}. Keys are 40 Z85 characters (as zmq_curve_keypair and
     * pyzmq's zmq.curve_keypair() print them) or certificate files in the czmq/pyzmq format
     * (zmq.auth.create_certificates writes name.key and name.key_secret).
     */
    public static class Curve {
        /** SERVER holds the key pair clients know the public half of; CLIENT also needs the server's public key. */
        private SecurityRole role;

        /** This socket's secret key, 40 Z85 characters, e.g. ${ORDERS_SECRET_KEY}. Alternative to key-file. */
        private String secretKey;

        /** This socket's public key, 40 Z85 characters. Optional: derived from the secret key, and checked against it when set. */
        private String publicKey;

        /** A secret certificate file (e.g. service.key_secret) holding this socket's key pair. Alternative to secret-key. */
        private String keyFile;

        /** CLIENT: the server's public key, 40 Z85 characters. Alternative to server-key-file. */
        private String serverKey;

        /** CLIENT: a certificate file holding the server's public key (e.g. server.key). Alternative to server-key. */
        private String serverKeyFile;

        public SecurityRole getRole() {
            return role;
        }

        public void setRole(SecurityRole role) {
            this.role = role;
        }

        public String getSecretKey() {
            return secretKey;
        }

        public void setSecretKey(String secretKey) {
            this.secretKey = secretKey;
        }

        public String getPublicKey() {
            return publicKey;
        }

        public void setPublicKey(String publicKey) {
            this.publicKey = publicKey;
        }

        public String getKeyFile() {
            return keyFile;
        }

        public void setKeyFile(String keyFile) {
            this.keyFile = keyFile;
        }

        public String getServerKey() {
            return serverKey;
        }

        public void setServerKey(String serverKey) {
            this.serverKey = serverKey;
        }

        public String getServerKeyFile() {
            return serverKeyFile;
        }

        public void setServerKeyFile(String serverKeyFile) {
            this.serverKeyFile = serverKeyFile;
        }
    }

    /** Defaults of {@code @ZmqListener} containers made by the default container factory. */
    public static class Listener {
        /** Worker threads per listener (REP, ROUTER, PULL, SUB); 1 keeps messages in order. */
        private int concurrency = 1;

        /** How often an idle worker checks whether it should stop or pause; bounds stop latency. */
        private Duration pollTimeout = Duration.ofMillis(100);

        /** Whether listeners start with the application. */
        private boolean autoStartup = true;

        /**
         * How long a listener waits for the CompletableFuture, CompletionStage or Mono it returned
         * before replying; past it, the error handler answers (a TimeoutException).
         */
        private Duration asyncReplyTimeout = Duration.ofSeconds(30);

        public Duration getAsyncReplyTimeout() {
            return asyncReplyTimeout;
        }

        public void setAsyncReplyTimeout(Duration asyncReplyTimeout) {
            this.asyncReplyTimeout = asyncReplyTimeout;
        }

        /** Wrap each handled message in a Micrometer Observation. */
        private boolean observationEnabled = false;

        private final Retry retry = new Retry();

        /** The most messages a batch listener (batch = "true") gets in one call. */
        private int batchSize = 100;

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        private final ErrorReply errorReply = new ErrorReply();

        /** The error replies of REP and ROUTER listeners that failed. */
        public ErrorReply getErrorReply() {
            return errorReply;
        }

        /** Retry and recovery of failed messages. */
        public Retry getRetry() {
            return retry;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public Duration getPollTimeout() {
            return pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        public boolean isObservationEnabled() {
            return observationEnabled;
        }

        public void setObservationEnabled(boolean observationEnabled) {
            this.observationEnabled = observationEnabled;
        }
    }

    /**
     * {@code zmq.listener.error-reply}: a REP or ROUTER listener that fails answers
     * {@code [0xFF 'Z' 'E' 1, code, message]} (see the README).
     */
    public static class ErrorReply {
        /**
         * Whether the error reply's message is the exception's class and message. Off: a generic text
         * per code, so nothing of the exception leaves the process.
         */
        private boolean includeMessage = false;

        public boolean isIncludeMessage() {
            return includeMessage;
        }

        public void setIncludeMessage(boolean includeMessage) {
            this.includeMessage = includeMessage;
        }
    }

    /**
     * {@code zmq.listener.retry}: how often a failing listener is invoked again for one message, with
     * exponential back-off, and where the message goes after the last attempt.
     */
    public static class Retry {
        /** Invocations in all for one message (1: no retry). Conversion and validation failures are not retried. */
        private int maxAttempts = 1;

        /** Wait before the first retry. */
        private Duration delay = Duration.ofSeconds(1);

        /** How much the wait grows after each retry (1 or more). */
        private double multiplier = 2.0;

        /** The longest wait between two attempts. */
        private Duration maxDelay = Duration.ofSeconds(30);

        /**
         * Socket (a key of zmq.sockets: PUSH, PUB, DEALER or PAIR) that gets the messages still failing
         * after the last attempt, as a header frame (listener, socket, attempts, exception, reason, time)
         * followed by the original frames. Unset: they are logged at ERROR (or given to the application's
         * ZmqMessageRecoverer bean).
         */
        private String deadLetter;

        /** How long a dead letter may wait for room on its socket; past it the message is logged and counted as discarded. */
        private Duration deadLetterSendTimeout = Duration.ofSeconds(5);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getDelay() {
            return delay;
        }

        public void setDelay(Duration delay) {
            this.delay = delay;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public String getDeadLetter() {
            return deadLetter;
        }

        public void setDeadLetter(String deadLetter) {
            this.deadLetter = deadLetter;
        }

        public Duration getDeadLetterSendTimeout() {
            return deadLetterSendTimeout;
        }

        public void setDeadLetterSendTimeout(Duration deadLetterSendTimeout) {
            this.deadLetterSendTimeout = deadLetterSendTimeout;
        }
    }

    /** The auto-configured {@code ZmqTemplate}. */
    public static class Template {
        /** Socket used by the calls that take no socket name. */
        private String defaultSocket;

        /** How long sendAndReceive waits for a reply unless the call says otherwise. */
        private Duration replyTimeout = Duration.ofSeconds(5);

        /**
         * How long a send (and the send of a request) may wait for room when no peer can take the
         * message (no peer connected, or every peer at its high-water mark); the send then fails with
         * ZmqSendTimeoutException. A negative value waits as long as the socket's SNDTIMEO allows
         * (forever by default).
         */
        private Duration sendTimeout = Duration.ofSeconds(5);

        /** Wrap each send and each request (sendAndReceive and sendAndReceiveAsync alike) in a Micrometer Observation. */
        private boolean observationEnabled = false;

        public String getDefaultSocket() {
            return defaultSocket;
        }

        public void setDefaultSocket(String defaultSocket) {
            this.defaultSocket = defaultSocket;
        }

        public Duration getReplyTimeout() {
            return replyTimeout;
        }

        public void setReplyTimeout(Duration replyTimeout) {
            this.replyTimeout = replyTimeout;
        }

        public Duration getSendTimeout() {
            return sendTimeout;
        }

        public void setSendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
        }

        public boolean isObservationEnabled() {
            return observationEnabled;
        }

        public void setObservationEnabled(boolean observationEnabled) {
            this.observationEnabled = observationEnabled;
        }
    }

    /** {@code zmq.security}: what applies to the whole application. */
    public static class Security {
        private final Zap zap = new Zap();

        public Zap getZap() {
            return zap;
        }
    }

    /**
     * {@code zmq.security.zap}: the ZAP authenticator (RFC 27) that PLAIN and CURVE server sockets
     * ask about each client. A ZapHandler bean of the application replaces the one configured here.
     */
    public static class Zap {
        /**
         * Whether to run the ZAP authenticator. Unset: when a socket is a PLAIN or CURVE server or sets a
         * zap-domain, or a ZapHandler bean exists. false: never (a PLAIN server then fails startup, and a
         * CURVE server accepts any client that knows its public key).
         */
        private Boolean enabled;

        /** ZAP domains answered; requests for other domains are refused. Empty: every domain. */
        private List<String> domains = new ArrayList<>();

        /** Client IP addresses allowed (every mechanism); once any is listed, all others are refused. */
        private List<String> allow = new ArrayList<>();

        /** Client IP addresses refused (ignored when allow lists any address). */
        private List<String> deny = new ArrayList<>();

        private final ZapPlain plain = new ZapPlain();

        private final ZapCurve curve = new ZapCurve();

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getDomains() {
            return domains;
        }

        public void setDomains(List<String> domains) {
            this.domains = domains;
        }

        public List<String> getAllow() {
            return allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }

        public List<String> getDeny() {
            return deny;
        }

        public void setDeny(List<String> deny) {
            this.deny = deny;
        }

        public ZapPlain getPlain() {
            return plain;
        }

        public ZapCurve getCurve() {
            return curve;
        }
    }

    /** {@code zmq.security.zap.plain}. */
    public static class ZapPlain {
        /**
         * PLAIN users: user name to password, e.g. alice: ${ALICE_PASSWORD}. The user name becomes the
         * User-Id of the client's messages.
         */
        private Map<String, String> users = new LinkedHashMap<>();

        public Map<String, String> getUsers() {
            return users;
        }

        public void setUsers(Map<String, String> users) {
            this.users = users;
        }
    }

    /** {@code zmq.security.zap.curve}: which CURVE clients are accepted (their public key is their User-Id). */
    public static class ZapCurve {
        /** Accept any client that knows the server's public key: encryption without client authentication. */
        private boolean allowAny = false;

        /**
         * Directory of certificate files (czmq/pyzmq format, e.g. alice.key) whose public keys are accepted.
         * Read at startup.
         */
        private String keysDirectory;

        /** Client public keys (40 Z85 characters) accepted besides those of keys-directory. */
        private List<String> keys = new ArrayList<>();

        public boolean isAllowAny() {
            return allowAny;
        }

        public void setAllowAny(boolean allowAny) {
            this.allowAny = allowAny;
        }

        public String getKeysDirectory() {
            return keysDirectory;
        }

        public void setKeysDirectory(String keysDirectory) {
            this.keysDirectory = keysDirectory;
        }

        public List<String> getKeys() {
            return keys;
        }

        public void setKeys(List<String> keys) {
            this.keys = keys;
        }
    }
}
