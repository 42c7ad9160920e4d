package dev.zmq.internal.transport;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A context's transports by scheme: the one place that knows which transports exist. Sockets find
 * an endpoint's transport here ({@link #parse}) and use it through what it implements.
 */
public final class Transports {
    private final Map<String, Transport> byScheme = new LinkedHashMap<>();
    /** Schemes known but refused, with the message that says what to use instead. */
    private final Map<String, java.util.function.Function<String, String>> refused = new LinkedHashMap<>();

    /** Adds {@code transport} under its scheme; the order of adding is the order error messages list them in. */
    public Transports add(Transport transport) {
        if (byScheme.putIfAbsent(transport.scheme(), transport) != null) {
            throw new IllegalStateException("two transports for " + transport.scheme() + "://");
        }
        return this;
    }

    /** Refuses {@code scheme} with the message {@code why} makes from the endpoint's address. */
    public Transports refuse(String scheme, java.util.function.Function<String, String> why) {
        refused.put(scheme, why);
        return this;
    }

    /**
     * An endpoint with its transport.
     *
     * @param transport the transport of the endpoint's scheme
     * @param endpoint the endpoint, parsed
     */
    public record Parsed(Transport transport, Endpoint endpoint) {
    }

    /** The transport of {@code text}'s scheme, or null if it names none (or is no endpoint at all). */
    public Transport find(String text) {
        int sep = text == null ? -1 : text.indexOf("://");
        return sep <= 0 ? null : byScheme.get(text.substring(0, sep).toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Parses {@code text} and finds its transport, failing with EINVAL or EPROTONOSUPPORT and a
     * message that says what is wrong.
     */
    public Parsed parse(String text) {
        var endpoint = Endpoint.split(text);
        var transport = byScheme.get(endpoint.transport());
        if (transport == null) {
            var why = refused.get(endpoint.transport());
            if (why != null) {
                throw new ZmqException(ZmqError.EPROTONOSUPPORT, why.apply(endpoint.address()));
            }
            throw new ZmqException(ZmqError.EPROTONOSUPPORT, "unknown transport '" + endpoint.transport()
                    + "' in endpoint '" + text + "'; supported: " + String.join(", ", byScheme.keySet()));
        }
        endpoint.requireAddress();
        return new Parsed(transport, endpoint);
    }
}
