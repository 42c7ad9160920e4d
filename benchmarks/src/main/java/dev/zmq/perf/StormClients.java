package dev.zmq.perf;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * The client side of benchmarks/reconnect_storm.sh: many DEALER sockets of one context connecting to
 * one endpoint, with the default reconnect settings (RECONNECT_IVL 100 ms), driven by stdin so the
 * script can bounce the binder and measure this process's CPU time from outside.
 *
 * <pre>
 * java -cp zmq-perf.jar dev.zmq.perf.StormClients ENDPOINT COUNT
 *   prints "READY" once every socket connects (asynchronously), then answers:
 *   stats -> "STATS connected=N"   (peers with a completed handshake, over all sockets)
 *   quit
 * </pre>
 */
public final class StormClients {
    private StormClients() {
    }

    public static void main(String[] args) throws Exception {
        var endpoint = args[0];
        int count = Integer.parseInt(args[1]);
        var sockets = new ArrayList<ZmqSocket>(count);
        try (var ctx = new ZmqContext()) {
            for (int i = 0; i < count; i++) {
                var s = ctx.socket(SocketType.DEALER);
                s.set(SocketOption.LINGER, 0);
                s.connect(endpoint);
                sockets.add(s);
            }
            System.out.println("READY");
            System.out.flush();
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case "stats" -> System.out.println("STATS connected=" + sockets.stream().mapToInt(s -> s.statistics().connectedPeers()).sum());
                    case "quit" -> {
                        sockets.forEach(ZmqSocket::close);
                        return;
                    }
                    default -> System.out.println("ERROR unknown command " + line);
                }
                System.out.flush();
            }
            sockets.forEach(ZmqSocket::close);
        }
    }
}
