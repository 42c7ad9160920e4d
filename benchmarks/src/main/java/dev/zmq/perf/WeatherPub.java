package dev.zmq.perf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code weather_pub <bind-to> <count>}: the ZeroMQ Guide's weather server as a benchmark. Publishes
 * {@code count} updates {@code "%05d %d %d"} (random zipcode 0-99999, temperature -80..134, relative
 * humidity 10..59) as fast as it can, then the end marker {@code "END <count>"}.
 *
 * <p>It waits for a subscriber's subscription to {@code END} before starting (no slow joiner), and
 * uses XPUB_NODROP so the end marker reaches every subscriber. Filtering happens here, on the
 * publisher side, so the figure is mostly the publisher's filtering rate. Updates are formatted in
 * advance into a ring, so the benchmark measures ZeroMQ rather than string formatting.
 */
final class WeatherPub implements PerfCommand {
    static final byte[] END = "END".getBytes(StandardCharsets.US_ASCII);
    private static final int RING = 1 << 16;

    @Override
    public String name() {
        return "weather_pub";
    }

    @Override
    public String arguments() {
        return "<bind-to> <count>";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 2);
        var endpoint = args.text(0);
        int count = args.count(1);
        var random = new SplittableRandom(5556);
        var updates = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            updates[i] = String.format("%05d %d %d", random.nextInt(100_000), random.nextInt(215) - 80,
                    random.nextInt(50) + 10).getBytes(StandardCharsets.US_ASCII);
        }
        try (var ctx = session.zmq().newContext(); var pub = ctx.socket(PerfZmq.Kind.XPUB)) {
            pub.noDrop();
            session.bind(pub, endpoint);
            waitForEndSubscription(pub);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                pub.send(updates[i & (RING - 1)]);
            }
            pub.send(("END " + count).getBytes(StandardCharsets.US_ASCII));
            long elapsed = System.nanoTime() - start;
            var out = session.out();
            out.printf("published: %d [updates]%n", count);
            out.printf("elapsed: %.3f [s]%n", elapsed / 1e9);
            out.printf("mean rate: %d [updates/s]%n", (long) (count / (elapsed / 1e9)));
        }
    }

    /** Reads subscription messages until one for the end marker arrives. */
    private static void waitForEndSubscription(PerfZmq.Socket pub) {
        while (true) {
            var sub = pub.recv();
            if (sub.length == END.length + 1 && sub[0] == 1 && java.util.Arrays.equals(sub, 1, sub.length, END, 0, END.length)) {
                return;
            }
        }
    }
}
