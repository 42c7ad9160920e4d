package dev.zmq.spring.boot.autoconfigure.context;

/** Adjusts the settings of the auto-configured {@code ZmqContext} before it is created. */
@FunctionalInterface
public interface ZmqContextCustomizer {
    void customize(ZmqContextSettings settings);
}
