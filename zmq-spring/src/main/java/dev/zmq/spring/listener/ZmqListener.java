package dev.zmq.spring.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.messaging.handler.annotation.MessageMappingReflectiveProcessor;

/**
 * Marks a bean method as the handler of the messages of a ZeroMQ socket. The socket is either a
 * configured one ({@link #socket()}, a key of {@code zmq.sockets}) or declared inline
 * ({@link #type()} with {@link #bind()} and/or {@link #connect()}, {@link #topics()} for SUB).
 * Every string attribute accepts {@code ${...}} placeholders and {@code #{...}} SpEL expressions
 * (evaluated once, at registration); an expression may give an array or a collection for the array
 * attributes, and a bean itself for {@link #errorHandler()} and {@link #containerFactory()}.
 *
 * <p>Arguments are resolved as in Spring Messaging: {@code byte[]} or {@code String} (the body, i.e.
 * the last frame), {@code dev.zmq.Message} (all frames, envelope removed), {@code List<byte[]>}
 * (the same frames), {@code org.springframework.messaging.Message<?>}, {@code @Payload} objects
 * converted by the listener's {@code MessageConverter} (JSON with Jackson when present; validated
 * when annotated {@code @Validated} or {@code @Valid}), and {@code @Header} with the names in
 * {@link ZmqHeaders}.
 *
 * <p>On REP and ROUTER the return value is the reply (converted the same way), sent with the
 * request's envelope; a REP method returning nothing replies with one empty frame, because REP
 * must answer every request. {@code @SendTo("socketName")} sends the return value to another
 * socket instead. When the method throws, the container survives: the error handler decides the
 * reply, and a requester is always answered. A {@code CompletableFuture}, {@code CompletionStage}
 * or Reactor {@code Mono} returned is awaited (up to {@code zmq.listener.async-reply-timeout}) and
 * its value is the reply. So is the result of a Kotlin {@code suspend} function, with kotlinx-coroutines and its
 * Reactor bridge ({@code kotlinx-coroutines-reactor}) on the classpath (see {@link ZmqMessageHandlerMethodFactory});
 * the coroutine is cancelled when the timeout passes, and what it throws takes the usual retry and error path.
 *
 * <p>On SERVER and PEER the reply goes to the routing id the request carried. On DGRAM (udp) the
 * method gets the datagram's body, the sender's {@code ip:port} in {@link ZmqHeaders#ROUTING_ID}
 * (its IP in {@link ZmqHeaders#PEER_ADDRESS}), and a return value goes back to that address as one
 * datagram (one frame); a failure sends no error reply, as a datagram peer waits for none.
 *
 * <p>A failing invocation is retried up to {@link #maxAttempts()} times with back-off; then the
 * recoverer gets the message: logged (the default), sent to a {@link #deadLetter()} socket, or an
 * application {@link #recoverer()}. Each message ends as exactly one outcome, counted by
 * {@link ZmqMessageListenerContainer#getOutcomes()}.
 *
 * <p>On a class, the annotation declares one listener (one socket, one container) whose messages go to the
 * class's {@link ZmqHandler} methods, chosen by payload type (as spring-kafka's class-level
 * {@code @KafkaListener} with {@code @KafkaHandler}); its id defaults to the bean name, {@code @SendTo} goes on the
 * class, and {@link #batch()} does not apply.
 *
 * <p>For Spring AOT and native images, the annotation is {@link Reflective}: the method, its
 * {@code @Payload} parameter types and its return type get reflection hints.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Reflective(MessageMappingReflectiveProcessor.class)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ZmqListener {

    /** The container id, for the registry; defaults to {@code beanName.methodName}. */
    String id() default "";

    /** A socket declared under {@code zmq.sockets} (bean name). Exclusive with {@link #type()}. */
    String socket() default "";

    /**
     * Inline socket: its type (REP, ROUTER, PULL, SUB, XSUB, DEALER, PAIR, XPUB, STREAM, and the draft
     * types SERVER, CLIENT, PEER, DISH, GATHER, CHANNEL, DGRAM).
     */
    String type() default "";

    /** Inline socket: endpoints to bind. */
    String[] bind() default {};

    /** Inline socket: endpoints to connect to. */
    String[] connect() default {};

    /** Inline SUB socket: topic prefixes ({@code ""} for everything). */
    String[] topics() default {};

    /** Inline DISH socket: the groups it joins (exact match, at most 255 bytes each; placeholders resolved). */
    String[] groups() default {};

    /** Inline socket: options as {@code name=value}, e.g. {@code "rcvhwm=100"}, {@code "linger=1s"}. */
    String[] options() default {};

    /** Worker threads; more than one on REP, ROUTER, PULL or SUB spreads messages over them. Default {@code zmq.listener.concurrency}. */
    String concurrency() default "";

    /** Whether the container starts with the application; default {@code zmq.listener.auto-startup}. */
    String autoStartup() default "";

    /** Bean name of a {@link ZmqListenerErrorHandler} for this listener. */
    String errorHandler() default "";

    /**
     * Invocations in all for one message before it goes to the recoverer (1: no retry); default
     * {@code zmq.listener.retry.max-attempts}. Conversion and validation failures are not retried.
     */
    String maxAttempts() default "";

    /** Wait before the first retry, e.g. {@code "200ms"}; default {@code zmq.listener.retry.delay}. */
    String backoff() default "";

    /** How much the wait grows after each retry (1 or more); default {@code zmq.listener.retry.multiplier}. */
    String backoffMultiplier() default "";

    /** The longest wait between retries; default {@code zmq.listener.retry.max-delay}. */
    String maxBackoff() default "";

    /**
     * A socket under {@code zmq.sockets} (PUSH, PUB, DEALER, PAIR) that gets the messages still failing
     * after the last attempt, as {@code [header frame, original frames...]} (see
     * {@link dev.zmq.spring.recovery.DeadLetterMessageRecoverer}); default {@code zmq.listener.retry.dead-letter}.
     */
    String deadLetter() default "";

    /**
     * Bean name (or {@code #{...}} expression) of a {@link dev.zmq.spring.recovery.ZmqMessageRecoverer} for the
     * messages still failing after the last attempt; takes precedence over {@link #deadLetter()}.
     */
    String recoverer() default "";

    /**
     * Inline socket: {@code "true"} for the header envelope (every message starts with a header frame,
     * {@link dev.zmq.spring.headers.ZmqHeaderFrame}, whose headers the method reads with {@code @Header});
     * a configured socket has it from {@code zmq.sockets.<name>.headers}.
     */
    String headers() default "";

    /**
     * {@code "true"}: the method takes a {@code List<X>} of the messages available now, up to
     * {@link #batchSize()} ({@code X}: {@code dev.zmq.Message}, {@code byte[]}, {@code String} or a converted
     * payload type). Not on REP or ROUTER. A failed batch is retried as a whole, then each of its messages
     * goes to the recoverer.
     */
    String batch() default "";

    /** The most messages of one batch; default {@code zmq.listener.batch-size}. */
    String batchSize() default "";

    /** Bean name of the {@link ZmqListenerContainerFactory}; default {@code zmqListenerContainerFactory}. */
    String containerFactory() default "";
}
