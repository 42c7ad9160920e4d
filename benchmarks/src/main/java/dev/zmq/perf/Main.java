package dev.zmq.perf;

import java.util.List;

/** Entry point of {@code zmq-perf.jar}: {@code java -jar zmq-perf.jar [--impl native|jeromq] <command> <args>}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status = Perf.run(List.of(args), System.out, System.err, endpoint -> { });
        System.exit(status);
    }
}
