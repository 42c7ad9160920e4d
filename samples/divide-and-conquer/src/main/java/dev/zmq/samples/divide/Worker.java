package dev.zmq.samples.divide;

import dev.zmq.spring.boot.autoconfigure.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketRegistry;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/**
 * taskwork: takes a task from socket {@code tasks}, "works" (sleeps) for its workload in
 * milliseconds, and sends an empty result to the sink on socket {@code results}. Prints a dot per
 * task, as the Guide's worker does. Runs until stopped; on SIGTERM the task in hand finishes and
 * its result is sent before the sockets close.
 */
@Component
@Profile("worker")
class Worker implements ApplicationRunner {
    private final ZmqSocketRegistry sockets;

    Worker(ZmqSocketRegistry sockets) {
        this.sockets = sockets;
    }

    @ZmqListener(socket = "tasks")
    @SendTo("results")
    String work(String workload) throws InterruptedException {
        System.out.print('.');
        System.out.flush();
        Thread.sleep(millis(workload));
        return "";
    }

    private static long millis(String workload) {
        try {
            return Math.max(0, Long.parseLong(workload.trim()));
        } catch (NumberFormatException e) {
            System.err.println("not a workload in milliseconds: '" + workload + "'; sending its result at once");
            return 0;
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        System.out.println("worker: tasks from " + connectEndpoints("tasks") + ", results to " + connectEndpoints("results"));
    }

    private String connectEndpoints(String socket) {
        return sockets.get(socket).map(s -> String.join(", ", s.connectEndpoints())).orElse("?");
    }
}
