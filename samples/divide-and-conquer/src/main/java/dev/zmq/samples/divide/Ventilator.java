package dev.zmq.samples.divide;

import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.core.ZmqTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * taskvent: pushes a batch of tasks (each a workload in milliseconds, as a decimal string) to the
 * workers on socket {@code tasks}, after telling the sink on socket {@code sink} that the batch
 * starts. The process exits when this returns; closing the sockets flushes what is still queued
 * (bounded by {@code zmq.context.linger}).
 */
@Component
@Profile("ventilator")
class Ventilator implements ApplicationRunner {
    private final ZmqTemplate template;
    private final ZmqSocket tasks;
    private final PeerWatch peers;
    private final VentilatorProperties properties;

    Ventilator(ZmqTemplate template, @Qualifier("tasks") ZmqSocket tasks, PeerWatch peers, VentilatorProperties properties) {
        this.template = template;
        this.tasks = tasks;
        this.peers = peers;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        System.out.println("ventilator bound to " + tasks.get(SocketOption.LAST_ENDPOINT));
        if (properties.waitForEnter()) {
            System.out.println("Press Enter when the workers are ready: ");
            var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (readLine(stdin) == null) {
                System.out.println("(no input: waiting for workers instead)");
                awaitWorkers();
            }
        } else {
            awaitWorkers();
        }
        System.out.println("Sending tasks to workers...");

        // The first message is "0" and signals the start of the batch.
        template.send("sink", "0");

        var random = ThreadLocalRandom.current();
        long totalMillis = 0;
        for (int task = 0; task < properties.tasks(); task++) {
            int workload = random.nextInt(properties.minWorkload(), properties.maxWorkload() + 1);
            totalMillis += workload;
            template.send("tasks", Integer.toString(workload));
        }
        System.out.println("Total expected cost: " + totalMillis + " msec");
    }

    /**
     * Instead of Enter: PUSH deals tasks only to the workers connected at the moment of sending, so
     * starting on the first connection would hand the whole batch to whichever worker was fastest
     * to (re)connect (the Guide's "slow joiner"). Workers started before the ventilator retry their
     * connection every RECONNECT_IVL (100 ms), so they all arrive within moments of each other:
     * wait for {@code ventilator.min-workers}, then until none has joined for {@code ventilator.settle}.
     */
    private void awaitWorkers() throws InterruptedException {
        System.out.println("Waiting for at least " + properties.minWorkers() + " worker(s), then "
                + properties.settle().toMillis() + " ms without a new one...");
        peers.awaitPeers("tasks", properties.minWorkers(), properties.settle());
        System.out.println(peers.peerCount("tasks") + " worker(s) connected");
    }

    private static String readLine(BufferedReader stdin) {
        try {
            return stdin.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
