package dev.zmq.perf;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command line {@code [--impl native|jeromq] <command> <args>}, runnable in-process: parses it,
 * runs the command and returns the exit status. Output follows libzmq's tools: results, usage and
 * errors on standard output; exit 1 for bad arguments and 255 ({@code return -1}) for a failed call.
 * A transport the implementation does not have yet (EPROTONOSUPPORT) is told on standard error with
 * exit 2.
 */
public final class Perf {
    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int UNSUPPORTED = 2;
    public static final int FAILED = 255;

    static final List<PerfCommand> COMMANDS = List.of(
            new LocalThr(), new RemoteThr(), new LocalLat(), new RemoteLat(), new InprocThr(), new InprocLat(),
            new WeatherPub(), new WeatherSub());

    private static final Map<String, PerfCommand> BY_NAME =
            COMMANDS.stream().collect(Collectors.toMap(PerfCommand::name, Function.identity()));

    private static final Map<String, PerfZmq> IMPLS =
            Stream.of(new NativeZmq(), new JeroMqZmq()).collect(Collectors.toMap(PerfZmq::name, Function.identity()));

    private Perf() {
    }

    /** Runs a command line; {@code onBound} is told the endpoint a {@code local_*} command bound. */
    public static int run(List<String> argv, PrintStream out, PrintStream err, Consumer<String> onBound) {
        var args = argv;
        var implName = "native";
        if (!args.isEmpty() && (args.get(0).equals("-h") || args.get(0).equals("--help"))) {
            printUsage(out);
            return OK;
        }
        if (!args.isEmpty() && args.get(0).startsWith("--impl")) {
            var option = args.get(0);
            if (option.startsWith("--impl=")) {
                implName = option.substring("--impl=".length());
                args = args.subList(1, args.size());
            } else if (option.equals("--impl") && args.size() >= 2) {
                implName = args.get(1);
                args = args.subList(2, args.size());
            } else {
                printUsage(out);
                return USAGE;
            }
        }
        var zmq = IMPLS.get(implName);
        var command = args.isEmpty() ? null : BY_NAME.get(args.get(0));
        if (zmq == null || command == null) {
            printUsage(out);
            return USAGE;
        }
        try {
            command.run(new Session(zmq, out, err, onBound), args.subList(1, args.size()));
            return OK;
        } catch (PerfCommand.UsageException e) {
            out.println("usage: " + command.name() + " " + command.arguments());
            return USAGE;
        } catch (PerfException e) {
            if (e.transportUnsupported()) {
                err.println(command.name() + ": the " + zmq.name() + " implementation does not support this transport yet ("
                        + e.call() + ": " + e.getMessage() + ")"
                        + (zmq.name().equals("native") ? "; run it with --impl jeromq meanwhile" : ""));
                return UNSUPPORTED;
            }
            out.println(e.call() == null ? e.getMessage() : "error in " + e.call() + ": " + e.getMessage());
            return FAILED;
        } finally {
            out.flush();
        }
    }

    static void printUsage(PrintStream out) {
        out.println("usage: java -jar zmq-perf.jar [--impl native|jeromq] <command> <args>");
        out.println("commands:");
        for (var command : COMMANDS) {
            out.println("  " + command.name() + " " + command.arguments());
        }
    }
}
