package dev.zmq.spring.recovery;

/**
 * What happens to a message once a listener failed on it as many times as its retry settings allow,
 * like spring-kafka's {@code ConsumerRecordRecoverer}: {@link LoggingMessageRecoverer} (the default),
 * {@link DeadLetterMessageRecoverer} ({@code deadLetter = "socket"}), or an application bean. When a
 * recoverer throws, the container logs the message and counts it as discarded.
 */
@FunctionalInterface
public interface ZmqMessageRecoverer {

    void recover(ZmqFailedMessage failed) throws Exception;
}
