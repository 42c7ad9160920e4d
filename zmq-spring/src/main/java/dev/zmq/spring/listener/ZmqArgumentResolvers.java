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
        var payload = new EmptyFrameTolerantPayloadResolver(converter, validator);
        return List.of(new BatchListResolver(converter, payload), new CoreMessageResolver(), new FrameListResolver(), payload);
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

    /**
     * A {@code List<X>} parameter of a batch listener: the messages of the batch, each as an {@code X}
     * ({@code dev.zmq.Message}, {@code byte[]} or {@code String} body, or converted like a payload). Outside
     * batches, a {@code List<byte[]>} is the frames and any other list a converted payload, as before.
     */
    static final class BatchListResolver implements HandlerMethodArgumentResolver {
        private final MessageConverter converter;
        private final PayloadMethodArgumentResolver payload;
        private final FrameListResolver frames = new FrameListResolver();

        BatchListResolver(MessageConverter converter, PayloadMethodArgumentResolver payload) {
            this.converter = converter;
            this.payload = payload;
        }

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return List.class.isAssignableFrom(parameter.getParameterType())
                    && !parameter.hasParameterAnnotation(org.springframework.messaging.handler.annotation.Header.class)
                    && !parameter.hasParameterAnnotation(org.springframework.messaging.handler.annotation.Headers.class);
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, org.springframework.messaging.Message<?> message) throws Exception {
            if (!Boolean.TRUE.equals(message.getHeaders().get(ZmqHeaders.BATCH))) {
                return frames.supportsParameter(parameter) ? frames.resolveArgument(parameter, message) : payload.resolveArgument(parameter, message);
            }
            var element = ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve(Object.class);
            @SuppressWarnings("unchecked")
            var messages = (List<Message>) message.getHeaders().get(ZmqHeaders.BATCH_MESSAGES);
            var out = new java.util.ArrayList<Object>(messages.size());
            for (var m : messages) {
                out.add(element(m, element));
            }
            return out;
        }

        private Object element(Message m, Class<?> element) {
            if (element == Message.class) {
                return m;
            }
            if (element == byte[].class) {
                return m.last();
            }
            if (element == String.class || element == Object.class) {
                return new String(m.last(), java.nio.charset.StandardCharsets.UTF_8);
            }
            var converted = converter.fromMessage(org.springframework.messaging.support.MessageBuilder.withPayload(m.last()).build(), element);
            if (converted == null) {
                throw new org.springframework.messaging.converter.MessageConversionException(
                        "Cannot convert a message of the batch to " + element.getName() + ": " + m);
            }
            return converted;
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
