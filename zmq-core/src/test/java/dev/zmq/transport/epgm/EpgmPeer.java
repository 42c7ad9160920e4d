package dev.zmq.transport.epgm;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqPoller;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.LineProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our side of the epgm tests, run in a child JVM inside the test's network namespace: the same
 * roles and output as {@code epgm/epgm_peer.py} (libzmq's side), so any pairing can be tested.
 */
public final class EpgmPeer {

    private EpgmPeer() {
    }

    static byte[] payload(int i, int size) {
        var b = new byte[size];
        for (int j = 0; j < size; j++) {
            b[j] = (byte) (i * 31 + j);
        }
        return b;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pub", "xpub" -> pub(args[0].equals("xpub") ? SocketType.XPUB : SocketType.PUB, args[1], Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]), args.length > 5 ? Integer.parseInt(args[5]) : 0);
            case "sub", "xsub" -> sub(args[0].equals("xsub") ? SocketType.XSUB : SocketType.SUB, args[1], Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), args.length > 4 ? Double.parseDouble(args[4]) : 60.0);
            default -> throw new IllegalArgumentException("role must be pub, xpub, sub or xsub, not " + args[0]);
        }
        System.exit(0);
    }

    private static void pub(SocketType type, String endpoint, int count, int size, int rate, int pace) throws Exception {
        var commands = LineProcess.commandsFromStdin("stop");
        try (var ctx = new ZmqContext(); var s = ctx.socket(type)) {
            s.set(SocketOption.SNDHWM, 0);
            s.set(SocketOption.RATE, rate);
            s.set(SocketOption.LINGER, 2000);
            s.connect(endpoint);
            say("READY");
            while (true) {
                s.send("hello");
                if ("go".equals(commands.poll(20, TimeUnit.MILLISECONDS))) {
                    break;
                }
            }
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (pace > 0) {
                    // a steady pace, so a late joiner finds the stream still flowing
                    long ahead = started + i * 1_000_000_000L / pace - System.nanoTime();
                    if (ahead > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                    }
                }
                if ("end".equals(commands.poll())) {
                    break;
                }
                s.send(Message.of("data".getBytes(StandardCharsets.US_ASCII), Integer.toString(i).getBytes(StandardCharsets.US_ASCII),
                        payload(i, size)));
                if (i % 10 == 9) {
                    s.send(Message.of("other", Integer.toString(i)));
                }
                if (i % 500 == 499) {
                    say("PROGRESS " + (i + 1));
                }
            }
            if (type == SocketType.XPUB) {
                // PGM carries no subscriptions: the XPUB application sees the subscribe-all its epgm endpoint made
                var m = s.recv(Duration.ofSeconds(5));
                say("SUBSCRIPTION " + (m == null ? "none" : java.util.HexFormat.of().formatHex(m.first())));
            }
            say("SENT " + count);
            while (true) {
                s.send("end");
                if ("stop".equals(commands.poll(100, TimeUnit.MILLISECONDS))) {
                    break;
                }
            }
            say("MULTICAST " + s.statistics().multicast());
        }
    }

    private static final class State {
        boolean joined;
        Integer first;
        int last;
        int count;
        boolean ordered = true;
        int corrupt;
        int leaked;
        boolean done;
        long firstNanos;
        long lastNanos;
    }

    private static void sub(SocketType type, String endpoint, int nsubs, int rate, double deadlineSeconds) throws Exception {
        try (var ctx = new ZmqContext(); var poller = new ZmqPoller()) {
            List<ZmqSocket> socks = new ArrayList<>();
            for (int k = 0; k < nsubs; k++) {
                var s = ctx.socket(type);
                s.set(SocketOption.RCVHWM, 0);
                s.set(SocketOption.RATE, rate);
                for (var topic : List.of("hello", "data", "end")) {
                    if (type == SocketType.SUB) {
                        s.subscribe(topic);
                    } else {
                        s.send(Message.of(("\u0001" + topic).getBytes(StandardCharsets.US_ASCII)));
                    }
                }
                s.connect(endpoint);
                socks.add(s);
                poller.register(s, ZmqPoller.POLLIN);
            }
            var state = new State[nsubs];
            Arrays.setAll(state, k -> new State());
            say("READY");
            long end = System.nanoTime() + (long) (deadlineSeconds * 1e9);
            while (!Arrays.stream(state).allMatch(st -> st.done)) {
                if (System.nanoTime() > end) {
                    var sb = new StringBuilder("TIMEOUT");
                    for (int k = 0; k < nsubs; k++) {
                        sb.append(' ').append(k).append(':').append(state[k].count);
                    }
                    say(sb.toString());
                    System.exit(2);
                }
                poller.poll(Duration.ofMillis(200));
                for (int k = 0; k < nsubs; k++) {
                    Message m;
                    while ((m = socks.get(k).tryRecv()) != null) {
                        onMessage(k, state[k], m);
                    }
                }
            }
            for (int k = 0; k < nsubs; k++) {
                say("MULTICAST " + k + " " + socks.get(k).statistics().multicast());
            }
            socks.forEach(ZmqSocket::close);
        }
    }

    private static void onMessage(int k, State st, Message m) {
        if (st.done) {
            return;
        }
        if (!st.joined) {
            st.joined = true;
            say("JOINED " + k);
        }
        var topic = m.frameString(0);
        switch (topic) {
            case "data" -> {
                int i = Integer.parseInt(m.frameString(1));
                st.lastNanos = System.nanoTime();
                if (st.first == null) {
                    st.first = i;
                    st.firstNanos = st.lastNanos;
                } else if (i != st.last + 1) {
                    st.ordered = false;
                }
                st.last = i;
                st.count++;
                if (m.size() != 3 || !Arrays.equals(m.frame(2), payload(i, m.frame(2).length))) {
                    st.corrupt++;
                }
            }
            case "end" -> {
                st.done = true;
                say("RESULT " + k + " first=" + st.first + " count=" + st.count + " ordered=" + st.ordered + " corrupt=" + st.corrupt
                        + " leaked=" + st.leaked + " rate=" + (st.lastNanos > st.firstNanos
                        ? (long) ((st.count - 1) * 1e9 / (st.lastNanos - st.firstNanos)) : 0));
            }
            case "hello" -> { }
            default -> st.leaked++;
        }
    }
}
