package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

final class ListenerTestSupport {
    private ListenerTestSupport() {
    }

    static ApplicationContextRunner runner() {
        // local.zmq.<socket>.endpoint from zmq-spring-boot-test: the endpoint each socket (or inline listener socket) bound
        return new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class, JacksonAutoConfiguration.class,
                ValidationAutoConfiguration.class)).withBean(Inbox.class);
    }

    /** What listeners saw, in order. */
    static final class Inbox {
        final BlockingQueue<Object> items = new LinkedBlockingQueue<>();

        void add(Object o) {
            items.add(o);
        }

        Object take() {
            return take(Duration.ofSeconds(10));
        }

        Object take(Duration timeout) {
            try {
                var item = items.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    throw new AssertionError("nothing arrived within " + timeout);
                }
                return item;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
