package dev.zmq.perf;

import java.util.List;

/** {@code remote_lat <connect-to> <message-size> <roundtrip-count>}: connects a REQ and measures latency. */
final class RemoteLat implements PerfCommand {
    @Override
    public String name() {
        return "remote_lat";
    }

    @Override
    public String arguments() {
        return "<connect-to> <message-size> <roundtrip-count>";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 3);
        var connectTo = args.text(0);
        int size = args.size(1);
        int count = args.count(2);
        try (var ctx = session.zmq().newContext();
             var req = ctx.socket(PerfZmq.Kind.REQ)) {
            req.connect(connectTo);
            long elapsed = Measure.roundtrips(req, size, count);
            Measure.printLatencyHeader(session.out(), size, count);
            Measure.printLatency(session.out(), count, elapsed);
        }
    }
}
