package dev.zmq.spring.socket;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.spring.security.Mechanism;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A checked {@link SocketSpec}: known type, well-formed endpoints, option values converted and in
 * range, security resolved (keys decoded; {@link Mechanism#toString()} never shows a secret).
 */
public record ValidSocketSpec(String name, SocketType type, List<String> bind, List<String> connect,
                              List<String> subscribe, List<OptionValue> options, boolean monitor,
                              UnaryOperator<String> propertyName, Mechanism security) {

    public ValidSocketSpec {
        security = security == null ? Mechanism.NULL : security;
    }

    /** An option with its converted value. */
    public record OptionValue(SocketOption<?> option, Object value, String property) {
    }

    /** Whether the options set LINGER explicitly. */
    public boolean setsLinger() {
        return options.stream().anyMatch(o -> o.option() == SocketOption.LINGER);
    }
}
