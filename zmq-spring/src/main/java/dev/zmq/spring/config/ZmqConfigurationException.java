package dev.zmq.spring.config;


/**
 * Invalid ZeroMQ configuration found at startup. Names the property (or annotation attribute),
 * the offending value, what is wrong and how to fix it; {@code ZmqConfigurationFailureAnalyzer}
 * turns it into Boot's failure report.
 */
public class ZmqConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient Object value;
    private final String problem;
    private final String action;

    public ZmqConfigurationException(String property, Object value, String problem, String action) {
        this(property, value, problem, action, null);
    }

    public ZmqConfigurationException(String property, Object value, String problem, String action, Throwable cause) {
        super(property + " = " + value + ": " + problem, cause);
        this.property = property;
        this.value = value;
        this.problem = problem;
        this.action = action;
    }

    /** The property (e.g. {@code zmq.sockets.prices.type}) or annotation attribute at fault. */
    public String property() {
        return property;
    }

    /** The value found. */
    public Object value() {
        return value;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
