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

    /** Sockets declared by configuration; each becomes a bean named after its key. */
    private final Map<String, Socket> sockets = new LinkedHashMap<>();

    private final Listener listener = new Listener();

    private final Template template = new Template();

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
    }

    /**
     * One socket. A {@code security} section (PLAIN/CURVE) will join these keys when zmq-core
     * has mechanisms other than NULL.
     */
    public static class Socket {
        /** Socket type: PAIR, REQ, REP, DEALER, ROUTER, PULL, PUSH, PUB, SUB, XPUB or XSUB. */
        private String type;

        /** Endpoints to bind, e.g. tcp://*:5555, ipc:///tmp/feed or inproc://jobs. */
        private List<String> bind = new ArrayList<>();

        /** Endpoints to connect to, e.g. tcp://feed:5556. */
        private List<String> connect = new ArrayList<>();

        /** SUB and XSUB: topic prefixes to subscribe to; "" receives everything. */
        private List<String> subscribe = new ArrayList<>();

        /**
         * Socket options by libzmq name (sndhwm, linger, rcvtimeo, ...). Times take durations
         * (2s, 500ms; a bare number is milliseconds; -1 or "infinite" where libzmq allows it),
         * sizes take data sizes (64KB).
         */
        private Map<String, String> options = new LinkedHashMap<>();

        /** Watch connection events (peers, reconnects, handshake failures) for health and metrics. */
        private boolean monitor = true;

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

        public boolean isMonitor() {
            return monitor;
        }

        public void setMonitor(boolean monitor) {
            this.monitor = monitor;
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

        /** Wrap each handled message in a Micrometer Observation. */
        private boolean observationEnabled = false;

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

    /** The auto-configured {@code ZmqTemplate}. */
    public static class Template {
        /** Socket used by the calls that take no socket name. */
        private String defaultSocket;

        /** How long sendAndReceive waits for a reply unless the call says otherwise. */
        private Duration replyTimeout = Duration.ofSeconds(5);

        /** How long a send may wait for room at the high-water mark; unset uses the socket's SNDTIMEO. */
        private Duration sendTimeout;

        /** Wrap each send in a Micrometer Observation. */
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
}
