package dev.zmq.robustness;

import dev.zmq.Message;
import dev.zmq.ZmqSocket;
import java.time.Duration;

/**
 * The child side of {@link ChildJvm}'s protocol, shared by the probes that run in a JVM of their own:
 * a probe ends with {@link #pass} ({@code OK ...}, exit 0) or {@link #fail} ({@code FAIL: why}, exit 1).
 */
final class Probes {
    private Probes() {
    }

    /** Prints the verdict {@code OK summary} and ends the probe's JVM with status 0. */
    static void pass(String summary) {
        System.out.println("OK " + summary);
        System.exit(0);
    }

    /** Prints {@code FAIL: why} and ends the probe's JVM with status 1. */
    static void fail(String why) {
        System.out.println("FAIL: " + why);
        System.exit(1);
    }

    /** Whether one message sent on {@code push} arrives whole on {@code pull}, within 5 s each way. */
    static boolean roundTrip(ZmqSocket push, ZmqSocket pull, String text) {
        if (!push.send(Message.of(text), Duration.ofSeconds(5))) {
            return false;
        }
        var m = pull.recv(Duration.ofSeconds(5));
        return m != null && m.frameString(0).equals(text);
    }
}
