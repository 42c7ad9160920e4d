package dev.zmq.spring.listener;

/** Builds the container of a {@code @ZmqListener}; chosen by {@link ZmqListener#containerFactory()}. */
@FunctionalInterface
public interface ZmqListenerContainerFactory {
    ZmqMessageListenerContainer createContainer(ZmqListenerEndpoint endpoint);
}
