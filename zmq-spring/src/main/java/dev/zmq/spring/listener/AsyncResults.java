package dev.zmq.spring.listener;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.util.ClassUtils;

/**
 * Awaits the asynchronous return values of listener methods, so that the reply is their value and
 * not the future itself: {@code CompletionStage} (so {@code CompletableFuture}), any {@code Future},
 * and Reactor's {@code Mono} when Reactor is on the classpath.
 */
final class AsyncResults {
    private static final boolean REACTOR = ClassUtils.isPresent("reactor.core.publisher.Mono", AsyncResults.class.getClassLoader());

    private AsyncResults() {
    }

    /** Whether {@code value} is a value still to come. */
    static boolean isAsync(Object value) {
        return value instanceof CompletionStage<?> || value instanceof Future<?> || (REACTOR && ReactorResults.isMono(value));
    }

    /**
     * The value {@code result} completes with, waiting at most {@code timeout}.
     *
     * @throws Throwable what the future failed with, or a {@link TimeoutException} naming the property
     */
    static Object await(Object result, Duration timeout, String listenerId) throws Throwable {
        Future<?> future;
        if (result instanceof CompletionStage<?> stage) {
            future = stage.toCompletableFuture();
        } else if (result instanceof Future<?> f) {
            future = f;
        } else if (REACTOR && ReactorResults.isMono(result)) {
            future = ReactorResults.toFuture(result);
        } else {
            return result;
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw e.getCause() != null ? e.getCause() : e;
        } catch (TimeoutException e) {
            future.cancel(true);
            var timeoutError = new TimeoutException("the " + result.getClass().getSimpleName() + " returned by listener '" + listenerId
                    + "' did not complete within " + timeout.toMillis() + " ms (zmq.listener.async-reply-timeout)");
            timeoutError.initCause(e);
            throw timeoutError;
        } catch (CancellationException e) {
            throw new IllegalStateException("the " + result.getClass().getSimpleName() + " returned by listener '" + listenerId
                    + "' was cancelled", e);
        }
    }

    /** Touches Reactor only when it is present. */
    private static final class ReactorResults {
        static boolean isMono(Object value) {
            return value instanceof reactor.core.publisher.Mono<?>;
        }

        static Future<?> toFuture(Object mono) {
            return ((reactor.core.publisher.Mono<?>) mono).toFuture();
        }
    }
}
