package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.Message;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/** Resolvers of the ZeroMQ-specific argument types: the core message and its list of frames. */
public final class ZmqArgumentResolvers {

    private ZmqArgumentResolvers() {
    }

    /** All of them, for {@code DefaultMessageHandlerMethodFactory.setCustomArgumentResolvers}. */
    public static List<HandlerMethodArgumentResolver> all() {
        return List.of(new CoreMessageResolver(), new FrameListResolver());
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
