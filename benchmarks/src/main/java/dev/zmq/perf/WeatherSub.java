package dev.zmq.perf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code weather_sub <connect-to> <zipcode>}: the ZeroMQ Guide's weather client as a benchmark.
 * Subscribes to one zipcode prefix (e.g. {@code "10001 "}) and to the end marker, prints the
 * updates it received, their average temperature, the elapsed time, and how many published
 * updates per second went through the publisher's filter.
 */
final class WeatherSub implements PerfCommand {

    @Override
    public String name() {
        return "weather_sub";
    }

    @Override
    public String arguments() {
        return "<connect-to> <zipcode>";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 2);
        var endpoint = args.text(0);
        var zipcode = args.text(1).getBytes(StandardCharsets.US_ASCII);
        try (var ctx = session.zmq().newContext(); var sub = ctx.socket(PerfZmq.Kind.SUB)) {
            sub.subscribe(zipcode);
            sub.subscribe(WeatherPub.END);
            sub.connect(endpoint);
            long start = System.nanoTime();
            long received = 0;
            long temperatures = 0;
            long published;
            while (true) {
                var update = new String(sub.recv(), StandardCharsets.US_ASCII);
                if (update.startsWith("END ")) {
                    published = Long.parseLong(update.substring(4).trim());
                    break;
                }
                received++;
                temperatures += Integer.parseInt(update.split(" ")[1]);
            }
            long elapsed = System.nanoTime() - start;
            var out = session.out();
            out.printf("zipcode: '%s'%n", new String(zipcode, StandardCharsets.US_ASCII));
            out.printf("received: %d [updates]%n", received);
            out.printf("average temperature: %s%n", received == 0 ? "n/a" : String.format("%.1f", (double) temperatures / received));
            out.printf("elapsed: %.3f [s]%n", elapsed / 1e9);
            out.printf("filtered rate: %d [published updates/s]%n", (long) (published / (elapsed / 1e9)));
        }
    }
}
