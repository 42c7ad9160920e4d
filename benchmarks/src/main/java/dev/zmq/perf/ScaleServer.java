package dev.zmq.perf;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The server side of benchmarks/scale.sh: one ROUTER or PUB bound on loopback, driven by commands
 * on stdin so the script can measure it at rest and under many connections.
 *
 * <pre>
 * java -cp zmq-perf.jar dev.zmq.perf.ScaleServer ROUTER|PUB
 *   prints "ENDPOINT tcp://127.0.0.1:port", then answers:
 *   stats            -> "STATS rss_kb=.. heap=.. direct=.. threads=.. fds=.. peers=.."
 *   pub COUNT SIZE   -> publishes COUNT messages of SIZE bytes, then "PUBLISHED"
 *   quit
 * </pre>
 */
public final class ScaleServer {
    private ScaleServer() {
    }

    public static void main(String[] args) throws Exception {
        var type = SocketType.valueOf(args.length > 0 ? args[0] : "ROUTER");
        try (var ctx = new ZmqContext(); var socket = ctx.socket(type)) {
            socket.set(SocketOption.LINGER, 0);
            socket.set(SocketOption.SNDHWM, 0);
            socket.set(SocketOption.RCVHWM, 0);
            System.out.println("ENDPOINT " + socket.bind("tcp://127.0.0.1:*"));
            System.out.flush();
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                var words = line.trim().split("\\s+");
                switch (words[0]) {
                    case "stats" -> System.out.println("STATS " + ProcessStats.now().line() + " peers=" + socket.statistics().connectedPeers());
                    case "pub" -> {
                        int count = Integer.parseInt(words[1]);
                        var body = new byte[Integer.parseInt(words[2])];
                        for (int i = 0; i < count; i++) {
                            socket.send(Message.of(body));
                        }
                        System.out.println("PUBLISHED " + count + " dropped=" + socket.statistics().messagesDropped());
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("ERROR unknown command " + words[0]);
                }
                System.out.flush();
            }
        }
    }
}
