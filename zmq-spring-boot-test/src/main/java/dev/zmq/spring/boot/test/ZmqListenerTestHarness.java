package dev.zmq.spring.boot.test;

import dev.zmq.spring.listener.ZmqListenerInvocation;
import dev.zmq.spring.listener.ZmqListenerInvocationObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Captures every {@code @ZmqListener} call: the message its arguments came from (body and headers), the
 * result and the failure, as spring-rabbit-test's harness. Declare it as a bean (or {@code @Import} it): the
 * auto-configured container factory reports to every {@code ZmqListenerInvocationObserver} bean.
 */
public class ZmqListenerTestHarness implements ZmqListenerInvocationObserver {
    private final List<ZmqListenerInvocation> invocations = new ArrayList<>();

    @Override
    public synchronized void invoked(ZmqListenerInvocation invocation) {
        invocations.add(invocation);
        notifyAll();
    }

    /** The calls of listener {@code id} so far, in order. */
    public synchronized List<ZmqListenerInvocation> invocations(String id) {
        return invocations.stream().filter(i -> i.listenerId().equals(id)).toList();
    }

    /**
     * Waits until listener {@code id} has been called {@code count} times, and returns its calls.
     *
     * @throws TimeoutException naming the listener and what was seen when {@code timeout} passes first
     */
    public synchronized List<ZmqListenerInvocation> await(String id, int count, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var seen = invocations(id);
            if (seen.size() >= count) {
                return seen;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("Listener '" + id + "' was called " + seen.size() + " time(s) within " + timeout
                        + ", expected " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Forgets what was captured. */
    public synchronized void clear() {
        invocations.clear();
    }
}
