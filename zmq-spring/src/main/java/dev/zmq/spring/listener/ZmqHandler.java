package dev.zmq.spring.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.messaging.handler.annotation.MessageMappingReflectiveProcessor;

/**
 * Marks a method of a class annotated with {@link ZmqListener} as one of its handlers: each message goes to
 * the handler for its payload type, as spring-kafka's {@code @KafkaHandler} and spring-amqp's
 * {@code @RabbitHandler}. The payload type of a handler is the type of its {@code @Payload} parameter, or of
 * its first parameter that is not a {@code @Header}, {@code @Headers}, {@code MessageHeaders} or the message
 * itself; a handler without one (or taking {@code Object}, {@code dev.zmq.Message} or a Spring
 * {@code Message<?>}) takes any message.
 *
 * <p>A message is dispatched as follows (the body is its last frame):
 * <ol>
 * <li>with a {@value ZmqHeaders#PAYLOAD_TYPE} header (sockets with the header envelope), to the handler whose
 * payload type has that simple or fully qualified class name;</li>
 * <li>else to the handler of the one converted type (a record, a POJO, a collection... through the listener's
 * {@code MessageConverter}, JSON with Jackson) the body converts to; a body that converts to several of them is
 * ambiguous (a failure: send {@value ZmqHeaders#PAYLOAD_TYPE});</li>
 * <li>else to the {@code String} handler when the body is valid UTF-8, else to the {@code byte[]} handler, else
 * to the handler that takes any message;</li>
 * <li>else to the {@link #isDefault() default} handler (which converts the body to its type as a method-level
 * listener does);</li>
 * <li>else no handler matches: a failure that is not retried, goes to the recoverer (dead letter...) and is
 * answered, on REP and ROUTER, by an error reply with code {@code BAD_REQUEST}.</li>
 * </ol>
 * Two handlers of the same payload type, two that take any message, or two defaults fail startup.
 * {@code @SendTo} goes on the class, for all the handlers.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Reflective(MessageMappingReflectiveProcessor.class)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ZmqHandler {

    /** Whether this handler gets the messages no other handler matches (at most one per class). */
    boolean isDefault() default false;
}
