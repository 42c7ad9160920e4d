package dev.zmq.spring.observation;

import io.micrometer.common.KeyValues;

/** Observation {@code zmq.listener}, tagged {@code zmq.listener.id}, {@code zmq.socket.name}, {@code zmq.socket.type}. */
public class DefaultZmqListenerObservationConvention implements ZmqListenerObservationConvention {
    /** The convention used when the application declares none. */
    public static final DefaultZmqListenerObservationConvention INSTANCE = new DefaultZmqListenerObservationConvention();

    @Override
    public String getName() {
        return "zmq.listener";
    }

    @Override
    public String getContextualName(ZmqReceiverContext context) {
        return context.listenerId() + " receive";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ZmqReceiverContext context) {
        return KeyValues.of("zmq.listener.id", context.listenerId(), "zmq.socket.name", context.socket(),
                "zmq.socket.type", context.socketType().name());
    }
}
