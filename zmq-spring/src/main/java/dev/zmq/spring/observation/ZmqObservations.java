package dev.zmq.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/** Creates the observations of listeners and sends with the user's convention, else the default one. */
public final class ZmqObservations {

    private ZmqObservations() {
    }

    /** A not-yet-started {@code zmq.listener} observation (or the application's convention's). */
    public static Observation listener(ZmqListenerObservationConvention custom, ZmqReceiverContext context, ObservationRegistry registry) {
        return Observation.createNotStarted(custom, DefaultZmqListenerObservationConvention.INSTANCE, () -> context, registry);
    }

    /** A not-yet-started {@code zmq.template} observation (or the application's convention's). */
    public static Observation sender(ZmqTemplateObservationConvention custom, ZmqSenderContext context, ObservationRegistry registry) {
        return Observation.createNotStarted(custom, DefaultZmqTemplateObservationConvention.INSTANCE, () -> context, registry);
    }
}
