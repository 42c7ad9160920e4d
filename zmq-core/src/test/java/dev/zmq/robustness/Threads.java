package dev.zmq.robustness;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Snapshots of the JVM's live threads, for leak checks on the library's (zmq-*) threads. */
final class Threads {
    private Threads() {
    }

    /** Names of every live thread, tagged with its id so two threads of one name count twice. */
    static Set<String> liveNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Threads::key).collect(Collectors.toSet());
    }

    /** Live threads whose name says they belong to the library. */
    static List<String> zmqThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("zmq")).map(Threads::key).sorted().toList();
    }

    /** Library threads alive now that were not in {@code before}. */
    static List<String> newZmqThreads(Set<String> before) {
        return zmqThreads().stream().filter(k -> !before.contains(k)).toList();
    }

    /** Stack traces of the library's threads, for failure messages about a stuck server. */
    static String dumpZmq() {
        var sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("zmq")) {
                sb.append("\n\"").append(t.getName()).append("\" ").append(t.getState());
                for (var frame : stack) {
                    sb.append("\n    at ").append(frame);
                }
            }
        });
        return sb.toString();
    }

    private static String key(Thread t) {
        return t.getName() + "#" + t.getId();
    }
}
