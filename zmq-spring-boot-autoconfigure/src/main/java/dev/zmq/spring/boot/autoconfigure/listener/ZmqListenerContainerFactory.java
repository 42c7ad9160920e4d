package dev.zmq.spring.boot.autoconfigure.listener;

/** Builds the container of a {@code @ZmqListener}; chosen by {@link ZmqListener#containerFactory()}. */
@FunctionalInterface
public interface ZmqListenerContainerFactory {
    ZmqMessageListenerContainer createContainer(ZmqListenerEndpoint endpoint);
}
