package dev.zmq.samples.divide;

import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.listener.ZmqListener;
import org.springframework.beans.factory.annotation.Qualifier;
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
class Worker {

    /** Says where it works; the sockets exist (and connect) before the listener takes its first task. */
    Worker(@Qualifier("tasks") ZmqSocket tasks, @Qualifier("results") ZmqSocket results) {
        System.out.println("worker: tasks from " + tasks.get(SocketOption.LAST_ENDPOINT) + ", results to "
                + results.get(SocketOption.LAST_ENDPOINT));
    }

    // tag::listener[]
    @ZmqListener(socket = "tasks")
    @SendTo("results")
    String work(String workload) throws InterruptedException {
        System.out.print('.');
        System.out.flush();
        Thread.sleep(millis(workload));
        return "";
    }
    // end::listener[]

    private static long millis(String workload) {
        try {
            return Math.max(0, Long.parseLong(workload.trim()));
        } catch (NumberFormatException e) {
            System.err.println("not a workload in milliseconds: '" + workload + "'; sending its result at once");
            return 0;
        }
    }
}
