package dev.zmq.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags the observations of sends; replace {@link DefaultZmqTemplateObservationConvention} to change them. */
public interface ZmqTemplateObservationConvention extends ObservationConvention<ZmqSenderContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ZmqSenderContext;
    }
}
