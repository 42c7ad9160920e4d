package dev.zmq.samples.broker;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqProxy;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.lifecycle.ZmqPhases;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * rrbroker: the core's {@link ZmqProxy} between the ROUTER {@code frontend} (clients) and the
 * DEALER {@code backend} (workers), on a thread of its own. It is steerable through an inproc
 * control pair, so stopping sends TERMINATE and the proxy returns between two messages: it stops
 * with the listeners (phase {@link ZmqPhases#LISTENERS}), before the sockets close, and a message
 * is never half moved.
 */
@Component
@Profile("server")
class BrokerProxy implements SmartLifecycle {
    private final ZmqContext context;
    private final ZmqSocket frontend;
    private final ZmqSocket backend;
    private ZmqSocket control;
    private ZmqSocket commander;
    private Thread thread;
    private volatile boolean running;

    BrokerProxy(ZmqContext context, @Qualifier("frontend") ZmqSocket frontend, @Qualifier("backend") ZmqSocket backend) {
        this.context = context;
        this.frontend = frontend;
        this.backend = backend;
    }

    @Override
    public synchronized void start() {
        var address = "inproc://broker-proxy-control-" + UUID.randomUUID();
        control = pair();
        control.bind(address);
        commander = pair();
        commander.connect(address);
        thread = new Thread(this::proxy, "broker-proxy");
        running = true;
        thread.start();
    }

    private ZmqSocket pair() {
        var socket = context.socket(SocketType.PAIR);
        socket.set(SocketOption.LINGER, 0);
        return socket;
    }

    private void proxy() {
        try {
            ZmqProxy.runSteerable(frontend, backend, null, control);
        } catch (ZmqException e) {
            if (running || (e.error() != ZmqError.ETERM && e.error() != ZmqError.ENOTSOCK)) {
                System.err.println("broker: the proxy failed: " + e.getMessage());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            commander.send("TERMINATE");
        } catch (ZmqException e) {
            // the context is already closed: the proxy has ended with ETERM
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commander.close();
        control.close();
        System.out.println("broker stopped" + (thread.isAlive() ? " (the proxy did not end within 5 s)" : ""));
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
