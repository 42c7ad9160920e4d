package dev.zmq.spring.listener;

import dev.zmq.spring.config.ZmqConfigurationException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.ClassUtils;

/**
 * The handler method of a class-level {@link ZmqListener}: picks one of its {@link ZmqHandler} methods for each
 * message by payload type (the rules are on {@link ZmqHandler}) and invokes it with the payload already converted.
 */
final class ZmqHandlerDispatcher extends InvocableHandlerMethod {

    /** How a handler's payload is matched. */
    enum Kind {
        /** Through the message converter (records, POJOs, collections, numbers...). */
        CONVERTED,
        /** A {@code String}: bodies that are valid UTF-8. */
        TEXT,
        /** A {@code byte[]}: any body. */
        BYTES,
        /** No payload parameter, {@code Object}, {@code dev.zmq.Message} or a Spring {@code Message}: any message. */
        ANY
    }

    /** A handler method and its payload type, found without invoking anything (checked at startup). */
    record Signature(Method method, Class<?> payloadType, Kind kind, boolean isDefault) {

        static Signature of(Method method) {
            var annotation = org.springframework.core.annotation.AnnotatedElementUtils.findMergedAnnotation(method, ZmqHandler.class);
            var type = payloadType(method);
            Kind kind;
            if (type == null || type == Object.class) {
                kind = Kind.ANY;
            } else if (type == String.class) {
                kind = Kind.TEXT;
            } else if (type == byte[].class) {
                kind = Kind.BYTES;
            } else {
                kind = Kind.CONVERTED;
            }
            return new Signature(method, type == null ? Object.class : ClassUtils.resolvePrimitiveIfNecessary(type), kind,
                    annotation != null && annotation.isDefault());
        }

        /** The type of the payload parameter, or null when the method has none. */
        private static Class<?> payloadType(Method method) {
            Class<?> first = null;
            for (int i = 0; i < method.getParameterCount(); i++) {
                var parameter = new MethodParameter(method, i);
                var type = parameter.getParameterType();
                if (parameter.hasParameterAnnotation(Payload.class)) {
                    return type;
                }
                if (first != null || parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class)
                        || type == MessageHeaders.class || type.getName().equals("kotlin.coroutines.Continuation")) {
                    continue;
                }
                if (type == dev.zmq.Message.class || Message.class.isAssignableFrom(type)
                        || (List.class.isAssignableFrom(type) && org.springframework.core.ResolvableType.forMethodParameter(parameter)
                        .getGeneric(0).resolve() == byte[].class)) {
                    continue; // the whole message, or its frames: not a payload
                }
                first = type;
            }
            return first;
        }

        String describe() {
            return ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "(" + switch (kind) {
                case ANY -> "any message";
                default -> payloadType.getSimpleName();
            } + ")";
        }
    }

    /**
     * Fails startup when the handlers are ambiguous: two of the same payload type, two taking any message, two
     * defaults, or none at all.
     */
    static List<Signature> check(List<Method> methods, String source) {
        if (methods.isEmpty()) {
            throw new ZmqConfigurationException(source, "no @ZmqHandler method",
                    "a class-level @ZmqListener dispatches each message to one of its @ZmqHandler methods, and this class has none",
                    "Annotate the methods that handle messages with @ZmqHandler, or move @ZmqListener to a method.");
        }
        var signatures = methods.stream().map(Signature::of).toList();
        var defaults = signatures.stream().filter(Signature::isDefault).toList();
        if (defaults.size() > 1) {
            throw new ZmqConfigurationException(source, defaults.stream().map(Signature::describe).toList(),
                    "more than one @ZmqHandler(isDefault = true)", "Keep isDefault = true on one handler only.");
        }
        for (int i = 0; i < signatures.size(); i++) {
            for (int j = i + 1; j < signatures.size(); j++) {
                var a = signatures.get(i);
                var b = signatures.get(j);
                if (a.kind() == b.kind() && (a.kind() == Kind.ANY || a.payloadType() == b.payloadType())) {
                    throw new ZmqConfigurationException(source, a.describe() + " and " + b.describe(),
                            "ambiguous @ZmqHandler methods: both take " + (a.kind() == Kind.ANY ? "any message" : a.payloadType().getName())
                                    + ", so a message could go to either",
                            "Give each @ZmqHandler its own payload type (one handler per type, at most one taking any message).");
                }
            }
        }
        return signatures;
    }

    private record Handler(Signature signature, InvocableHandlerMethod method) {
    }

    private final String source;
    private final List<Handler> handlers;
    private final Handler defaultHandler;
    private final MessageConverter converter;

    ZmqHandlerDispatcher(Object bean, List<Signature> signatures, List<InvocableHandlerMethod> methods, MessageConverter converter,
                         String source) {
        super(bean, signatures.get(0).method());
        this.source = source;
        this.converter = converter;
        var all = new ArrayList<Handler>(signatures.size());
        Handler fallback = null;
        for (int i = 0; i < signatures.size(); i++) {
            var handler = new Handler(signatures.get(i), methods.get(i));
            all.add(handler);
            if (handler.signature().isDefault()) {
                fallback = handler;
            }
        }
        this.handlers = List.copyOf(all);
        this.defaultHandler = fallback;
    }

    @Override
    public Object invoke(Message<?> message, Object... providedArgs) throws Exception {
        if (!(message.getPayload() instanceof byte[] body)) {
            throw new IllegalStateException(source + " dispatches single messages, not " + message.getPayload().getClass().getName());
        }
        var declared = message.getHeaders().get(ZmqHeaders.PAYLOAD_TYPE);
        if (declared != null) {
            return byDeclaredType(message, declared.toString(), providedArgs);
        }
        var converted = new ArrayList<Handler>();
        Object value = null;
        for (var handler : handlers) {
            if (handler.signature().kind() == Kind.CONVERTED) {
                var candidate = convert(message, handler.signature().payloadType());
                if (candidate != null) {
                    converted.add(handler);
                    value = candidate;
                }
            }
        }
        if (converted.size() == 1) {
            return converted.get(0).method().invoke(MessageBuilder.createMessage(value, message.getHeaders()), providedArgs);
        }
        if (converted.size() > 1) {
            throw new ZmqHandlerSelectionException(message, "ambiguous payload for " + source + ": it converts to "
                    + converted.stream().map(h -> h.signature().describe()).collect(Collectors.joining(" and "))
                    + "; the sender should name its type in the header '" + ZmqHeaders.PAYLOAD_TYPE + "' (header envelope)");
        }
        var text = find(Kind.TEXT);
        if (text != null) {
            var decoded = utf8(body);
            if (decoded != null) {
                return text.method().invoke(MessageBuilder.createMessage(decoded, message.getHeaders()), providedArgs);
            }
        }
        for (var kind : new Kind[] {Kind.BYTES, Kind.ANY}) {
            var handler = find(kind);
            if (handler != null) {
                return handler.method().invoke(message, providedArgs);
            }
        }
        if (defaultHandler != null) {
            return defaultHandler.method().invoke(message, providedArgs);
        }
        throw new ZmqHandlerSelectionException(message, "no @ZmqHandler of " + source + " takes this payload (" + body.length
                + " bytes" + (text == null ? "" : ", not UTF-8") + "); the handlers take " + handled());
    }

    private Object byDeclaredType(Message<?> message, String declared, Object... providedArgs) throws Exception {
        for (var handler : handlers) {
            var type = handler.signature().payloadType();
            if (handler.signature().kind() != Kind.ANY && (type.getName().equals(declared) || type.getSimpleName().equals(declared))) {
                return handler.method().invoke(message, providedArgs); // converted by its own argument resolvers
            }
        }
        if (defaultHandler != null) {
            return defaultHandler.method().invoke(message, providedArgs);
        }
        var any = find(Kind.ANY);
        if (any != null) {
            return any.method().invoke(message, providedArgs);
        }
        throw new ZmqHandlerSelectionException(message, "no @ZmqHandler of " + source + " takes the payload type '" + declared
                + "' (header '" + ZmqHeaders.PAYLOAD_TYPE + "'); the handlers take " + handled());
    }

    private Handler find(Kind kind) {
        for (var handler : handlers) {
            if (handler.signature().kind() == kind) {
                return handler;
            }
        }
        return null;
    }

    private String handled() {
        return handlers.stream().map(h -> h.signature().describe()).collect(Collectors.joining(", "));
    }

    /** The body converted to {@code type}, or null when it does not convert. */
    private Object convert(Message<?> message, Class<?> type) {
        try {
            var value = converter.fromMessage(message, type);
            return type.isInstance(value) ? value : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return source + " -> " + handled();
    }
}
