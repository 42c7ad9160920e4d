package dev.zmq.perf;

import java.util.List;

/** {@code local_thr <bind-to> <message-size> <message-count> [<enable_curve>]}: binds a PULL and measures throughput. */
final class LocalThr implements PerfCommand {
    @Override
    public String name() {
        return "local_thr";
    }

    @Override
    public String arguments() {
        return "<bind-to> <message-size> <message-count> [<enable_curve>]";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 3, 4);
        boolean curve = args.flag(3);
        var bindTo = args.text(0);
        int size = args.size(1);
        int count = args.count(2);
        try (var ctx = session.zmq().newContext();
             var pull = ctx.socket(PerfZmq.Kind.PULL)) {
            if (curve) {
                PerfCurve.server(pull, System.getenv());
            }
            session.bind(pull, bindTo);
            long elapsed = Measure.receive(pull, size, count);
            Measure.printThroughputHeader(session.out(), size, count);
            Measure.printThroughput(session.out(), size, count, elapsed, false);
        }
    }
}
