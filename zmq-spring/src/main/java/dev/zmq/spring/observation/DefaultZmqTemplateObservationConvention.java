package dev.zmq.spring.observation;

import io.micrometer.common.KeyValues;

/** Observation {@code zmq.template}, tagged {@code zmq.operation}, {@code zmq.socket.name}, {@code zmq.socket.type}. */
public class DefaultZmqTemplateObservationConvention implements ZmqTemplateObservationConvention {
    /** The convention used when the application declares none. */
    public static final DefaultZmqTemplateObservationConvention INSTANCE = new DefaultZmqTemplateObservationConvention();

    @Override
    public String getName() {
        return "zmq.template";
    }

    @Override
    public String getContextualName(ZmqSenderContext context) {
        return context.socket() + " " + context.operation();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ZmqSenderContext context) {
        return KeyValues.of("zmq.operation", context.operation(), "zmq.socket.name", context.socket(),
                "zmq.socket.type", context.socketType().name());
    }
}
