package dev.zmq.spring.socket;

import dev.zmq.spring.security.Mechanism;
import dev.zmq.spring.security.Redacted;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A socket as declared, not yet checked: from {@code zmq.sockets.<name>} or from an inline
 * {@code @ZmqListener}. {@code propertyName} turns a key ({@code type}, {@code bind[0]},
 * {@code options.sndhwm}) into the name a user would look for in an error message. {@code security}
 * resolves the security mechanism, checking its settings (null: the NULL mechanism); it is called
 * after the other checks.
 */
public record SocketSpec(String name, String type, List<String> bind, List<String> connect, List<String> subscribe,
                         Map<String, String> options, boolean monitor, UnaryOperator<String> propertyName,
                         Supplier<Mechanism> security) {

    public SocketSpec {
        bind = List.copyOf(bind);
        connect = List.copyOf(connect);
        subscribe = List.copyOf(subscribe);
        options = Map.copyOf(options);
    }

    /** A spec without security settings (the NULL mechanism), as inline listener sockets are. */
    public SocketSpec(String name, String type, List<String> bind, List<String> connect, List<String> subscribe,
                      Map<String, String> options, boolean monitor, UnaryOperator<String> propertyName) {
        this(name, type, bind, connect, subscribe, options, monitor, propertyName, null);
    }

    /** Hides option values that may be secrets (the security block is not shown at all). */
    @Override
    public String toString() {
        var shownOptions = new java.util.TreeMap<String, Object>();
        options.forEach((key, value) -> shownOptions.put(key, SocketSpecValidator.isSecurityOptionName(key) ? Redacted.of(value) : value));
        return "SocketSpec[name=" + name + ", type=" + type + ", bind=" + bind + ", connect=" + connect + ", subscribe=" + subscribe
                + ", options=" + shownOptions + ", monitor=" + monitor + ", security=" + (security == null ? "none" : "<set>") + "]";
    }

}
