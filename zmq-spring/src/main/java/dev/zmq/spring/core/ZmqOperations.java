package dev.zmq.spring.core;

import dev.zmq.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sending and request-reply on named sockets, as spring-kafka's {@code KafkaOperations}; implemented
 * by {@link ZmqTemplate}. Sends fail with {@link ZmqSendTimeoutException} when no peer takes the
 * message in time; requests fail with {@link ZmqReplyTimeoutException} when no reply comes in time,
 * and with {@link ZmqRemoteException} when the reply is an error reply ({@link ZmqErrorReply}).
 */
public interface ZmqOperations {

    /** Sends {@code message} on the default socket. */
    void send(Message message);

    /** Sends {@code message} on {@code socket}. */
    void send(String socket, Message message);

    /**
     * Sends {@code message} on {@code socket} with {@code headers} in its header frame; the socket must have
     * the header envelope ({@code zmq.sockets.<name>.headers=true}) unless {@code headers} is empty.
     */
    void send(String socket, Message message, java.util.Map<String, ?> headers);

    /** Sends one frame. */
    void send(String socket, byte[] body);

    /** Sends one UTF-8 frame. */
    void send(String socket, String body);

    /** Sends the frames as one message. */
    void sendMultipart(String socket, List<byte[]> frames);

    /** Sends the frames as one message. */
    void sendMultipart(String socket, byte[]... frames);

    /** Converts {@code payload} (JSON for objects with Jackson) and sends it on the default socket. */
    void convertAndSend(Object payload);

    /** Converts {@code payload} and sends it on {@code socket}. */
    void convertAndSend(String socket, Object payload);

    /**
     * Converts {@code payload} and sends it on {@code socket} with {@code headers} and its content type in the
     * header frame; the socket must have the header envelope unless {@code headers} is empty.
     */
    void convertAndSendWithHeaders(String socket, Object payload, java.util.Map<String, ?> headers);

    /** Sends {@code [topic, converted payload]}: the form SUB listeners read the topic from. */
    void convertAndSend(String socket, String topic, Object payload);

    /** Sends {@code request} and waits up to the default reply timeout for the reply. */
    Message sendAndReceive(String socket, Message request);

    /** Sends {@code request} and waits up to {@code timeout} (null: the default) for the reply. */
    Message sendAndReceive(String socket, Message request, Duration timeout);

    /** The reply, or a future failed with {@link ZmqReplyTimeoutException} after the default timeout. */
    CompletableFuture<Message> sendAndReceiveAsync(String socket, Message request);

    /**
     * The reply, or a future failed with {@link ZmqReplyTimeoutException} after {@code timeout}. With observations on,
     * the request's observation lasts until the future completes, as {@link #sendAndReceive(String, Message, Duration)}'s
     * lasts until it returns.
     */
    CompletableFuture<Message> sendAndReceiveAsync(String socket, Message request, Duration timeout);

    /** Converts {@code request}, sends it and converts the reply's body to {@code replyType}. */
    <T> T convertSendAndReceive(String socket, Object request, Class<T> replyType);

    /** As {@link #convertSendAndReceive(String, Object, Class)}, waiting up to {@code timeout}. */
    <T> T convertSendAndReceive(String socket, Object request, Class<T> replyType, Duration timeout);

    /** The converted reply, asynchronously. */
    <T> CompletableFuture<T> convertSendAndReceiveAsync(String socket, Object request, Class<T> replyType);

    /** The converted reply, asynchronously, waiting up to {@code timeout}. */
    <T> CompletableFuture<T> convertSendAndReceiveAsync(String socket, Object request, Class<T> replyType, Duration timeout);
}
