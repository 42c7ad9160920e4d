package dev.zmq.spring.listener;

/**
 * Told of every listener call once its attempts are over (test harnesses use it, as
 * {@code zmq-spring-boot-test}'s {@code ZmqListenerTestHarness}). Called on the listener's worker thread; it must
 * not block, and what it throws is logged and ignored.
 */
@FunctionalInterface
public interface ZmqListenerInvocationObserver {

    void invoked(ZmqListenerInvocation invocation);
}
