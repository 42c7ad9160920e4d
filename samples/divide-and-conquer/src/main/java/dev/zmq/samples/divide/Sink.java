package dev.zmq.samples.divide;

import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.listener.ZmqListener;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * tasksink: on socket {@code results}, waits for the ventilator's start message, then collects
 * {@code sink.results} results and prints how long the batch took. The process exits then.
 */
@Component
@Profile("sink")
class Sink implements ApplicationRunner {
    private final ZmqSocket results;
    private final SinkProperties properties;
    private final CountDownLatch done = new CountDownLatch(1);
    // written by the listener's single thread only; read after `done` (a happens-before edge)
    private boolean started;
    private int received;
    private long startNanos;
    private long elapsedNanos;

    Sink(@Qualifier("results") ZmqSocket results, SinkProperties properties) {
        this.results = results;
        this.properties = properties;
    }

    /** The first message starts the clock (the ventilator's "0"); every other one is a result. */
    @ZmqListener(socket = "results")
    void onMessage(byte[] body) {
        if (!started) {
            started = true;
            startNanos = System.nanoTime();
            return;
        }
        if (received == properties.results()) {
            return; // a batch is done; the process is about to exit
        }
        if (properties.progress()) {
            System.out.print(received % 10 == 0 ? ':' : '.');
            System.out.flush();
        }
        if (++received == properties.results()) {
            elapsedNanos = System.nanoTime() - startNanos;
            done.countDown();
        }
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        System.out.println("sink bound to " + results.get(SocketOption.LAST_ENDPOINT) + ", waiting for a batch of "
                + properties.results() + " results");
        done.await();
        System.out.println();
        System.out.println("Total elapsed time: " + elapsedNanos / 1_000_000 + " msec");
    }
}
