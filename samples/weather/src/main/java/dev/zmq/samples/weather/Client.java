package dev.zmq.samples.weather;

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
 * wuclient: the SUB socket {@code zmq.sockets.updates}, subscribed to {@code weather.zipcode},
 * collects {@code weather.updates} updates and prints their average temperature. The process exits then.
 */
@Component
@Profile("client")
class Client implements ApplicationRunner {
    private final ZmqSocket updates;
    private final WeatherProperties properties;
    private final CountDownLatch done = new CountDownLatch(1);
    // written by the listener's single thread only; read after `done` (a happens-before edge)
    private int received;
    private long totalTemperature;

    Client(@Qualifier("updates") ZmqSocket updates, WeatherProperties properties) {
        this.updates = updates;
        this.properties = properties;
    }

    @ZmqListener(socket = "updates")
    void onUpdate(String update) {
        if (received == properties.updates()) {
            return; // the average is taken; the process is about to exit
        }
        var fields = update.trim().split("\\s+");
        if (fields.length != 3 || !fields[1].matches("-?\\d{1,9}")) {
            System.err.println("not a weather update (zipcode temperature relhumidity): '" + update + "'");
            return;
        }
        totalTemperature += Integer.parseInt(fields[1]);
        if (++received == properties.updates()) {
            done.countDown();
        }
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        System.out.println("Collecting updates from weather server " + updates.get(SocketOption.LAST_ENDPOINT) + "...");
        done.await();
        System.out.println("Average temperature for zipcode '" + properties.zipcode().strip() + "' was "
                + totalTemperature / received + "F");
    }
}
