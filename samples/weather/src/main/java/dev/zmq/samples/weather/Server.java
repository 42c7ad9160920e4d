package dev.zmq.samples.weather;

import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.lifecycle.ZmqPhases;
import dev.zmq.spring.core.ZmqTemplate;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * wuserver: publishes random weather updates, {@code "%05d %d %d"} (zipcode, temperature, relative
 * humidity), on the PUB socket {@code zmq.sockets.updates} as fast as it can, on a thread of its
 * own. A PUB drops what no subscriber wants (or has no room for), so the loop never blocks. It
 * stops with the listeners (phase {@link ZmqPhases#LISTENERS}), before the template and the
 * sockets close, so SIGTERM ends it cleanly between two updates.
 */
@Component
@Profile("server")
class Server implements SmartLifecycle {
    private final ZmqTemplate template;
    private final ZmqSocket updates;
    private Thread thread;
    private volatile boolean running;
    private long published; // written by the publishing thread; read after join()

    Server(ZmqTemplate template, @Qualifier("updates") ZmqSocket updates) {
        this.template = template;
        this.updates = updates;
    }

    @Override
    public synchronized void start() {
        System.out.println("weather server bound to " + updates.get(SocketOption.LAST_ENDPOINT) + ", publishing updates");
        running = true;
        thread = new Thread(this::publish, "weather-server");
        thread.start();
    }

    private void publish() {
        var random = ThreadLocalRandom.current();
        while (running) {
            int zipcode = random.nextInt(100_000);
            int temperature = random.nextInt(215) - 80;
            int relhumidity = random.nextInt(50) + 10;
            template.send("updates", String.format("%05d %d %d", zipcode, temperature, relhumidity));
            published++;
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println(thread.isAlive() ? "weather server: the publisher did not end within 5 s"
                : "weather server stopped after " + published + " updates");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ZmqPhases.LISTENERS;
    }
}
