package dev.zmq.transport.udp;

import dev.zmq.testkit.LineProcess;
import dev.zmq.testkit.Namespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The udp tests' view of a multicast {@link Namespace}: a JVM cannot enter a namespace, so our side
 * runs there as a child JVM that plays a whole scenario and prints what it saw, and the test's
 * plain-socket peers run there in the background.
 */
final class MulticastNamespace implements AutoCloseable {
    private final Namespace ns;

    private MulticastNamespace(Namespace ns) {
        this.ns = ns;
    }

    /** Creates the namespace, or skips (fails under ZMQ_REQUIRE_NETNS=1) when this machine cannot. */
    static MulticastNamespace create() {
        return new MulticastNamespace(Namespace.multicast("zmqudp"));
    }

    /** Runs {@code main} in a child JVM inside the namespace until it exits; returns its output lines (stdout and stderr). */
    List<String> java(Class<?> main, int timeoutSeconds, String... args) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return List.of(Namespace.run(timeoutSeconds, ns.command(command).toArray(new String[0])).split("\n"));
    }

    /** Starts {@code command} inside the namespace in the background (the test's peer that must listen first); close it when done. */
    LineProcess start(String... command) {
        return LineProcess.start(command[command.length > 1 ? 1 : 0], ns.command(List.of(command)));
    }

    @Override
    public void close() {
        ns.close();
    }
}
