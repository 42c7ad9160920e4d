package dev.zmq.spring.listener;

import dev.zmq.Message;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.Validator;

/**
 * Resolvers of the ZeroMQ-specific argument types (the core message and its list of frames) and
 * of payloads, where an empty frame is a message like any other.
 */
public final class ZmqArgumentResolvers {

    private ZmqArgumentResolvers() {
    }

    /**
     * All of them, for {@code DefaultMessageHandlerMethodFactory.setCustomArgumentResolvers}: the
     * payload resolver comes last and replaces the factory's own, which would refuse empty frames.
     *
     * @param validator validates {@code @Validated} payloads; may be null
     */
    public static List<HandlerMethodArgumentResolver> all(MessageConverter converter, Validator validator) {
        return List.of(new CoreMessageResolver(), new FrameListResolver(), new EmptyFrameTolerantPayloadResolver(converter, validator));
    }

    /**
     * The body (or a converted {@code @Payload}): as Spring Messaging's resolver, except that an
     * empty frame is not a missing payload. ZeroMQ messages are often empty on purpose (the Guide's
     * workers report "done" with one), so a {@code byte[]} or {@code String} parameter gets an
     * empty array or string instead of failing with "Payload value must not be empty".
     */
    static final class EmptyFrameTolerantPayloadResolver extends PayloadMethodArgumentResolver {
        EmptyFrameTolerantPayloadResolver(MessageConverter converter, Validator validator) {
            super(converter, validator);
        }

        @Override
        protected boolean isEmptyPayload(Object payload) {
            return payload == null;
        }
    }

    /** A {@code dev.zmq.Message} parameter: the frames received, envelope removed. */
    static final class CoreMessageResolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Message.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, org.springframework.messaging.Message<?> message) {
            return message.getHeaders().get(ZmqHeaders.RAW_MESSAGE, Message.class);
        }
    }

    /** A {@code List<byte[]>} parameter: the same frames as a list. */
    static final class FrameListResolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            var type = ResolvableType.forMethodParameter(parameter);
            return List.class.isAssignableFrom(parameter.getParameterType()) && type.getGeneric(0).resolve() == byte[].class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, org.springframework.messaging.Message<?> message) {
            var raw = message.getHeaders().get(ZmqHeaders.RAW_MESSAGE, Message.class);
            return raw == null ? List.of() : raw.frames();
        }
    }
}
