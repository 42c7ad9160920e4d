package dev.zmq.spring.listener;

import dev.zmq.spring.core.ZmqErrorReply;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

/** Turns a listener failure into the frames of an error reply ({@link ZmqErrorReply}). */
final class ErrorReplies {
    private final boolean includeMessage;

    /** @param includeMessage whether the exception's text leaves the process */
    ErrorReplies(boolean includeMessage) {
        this.includeMessage = includeMessage;
    }

    List<byte[]> of(Throwable failure) {
        var cause = failure instanceof ZmqListenerExecutionFailedException && failure.getCause() != null ? failure.getCause() : failure;
        var chosen = find(cause, ZmqErrorReplyException.class);
        if (chosen != null) {
            return ZmqErrorReply.frames(chosen.code(), chosen.getMessage());
        }
        String code;
        String generic;
        if (find(cause, MessageConversionException.class) != null || find(cause, MethodArgumentResolutionException.class) != null) {
            code = ZmqErrorReply.BAD_REQUEST;
            generic = "the request could not be converted or validated";
        } else if (find(cause, TimeoutException.class) != null) {
            code = ZmqErrorReply.TIMEOUT;
            generic = "the listener did not complete in time";
        } else {
            code = ZmqErrorReply.INTERNAL;
            generic = "the listener failed";
        }
        return ZmqErrorReply.frames(code, includeMessage ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : generic);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
