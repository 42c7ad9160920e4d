package dev.zmq.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags the observations of handled messages; replace {@link DefaultZmqListenerObservationConvention} to change them. */
public interface ZmqListenerObservationConvention extends ObservationConvention<ZmqReceiverContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ZmqReceiverContext;
    }
}
