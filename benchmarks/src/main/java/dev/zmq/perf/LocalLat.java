package dev.zmq.perf;

import java.util.List;

/** {@code local_lat <bind-to> <message-size> <roundtrip-count>}: binds a REP and echoes. */
final class LocalLat implements PerfCommand {
    @Override
    public String name() {
        return "local_lat";
    }

    @Override
    public String arguments() {
        return "<bind-to> <message-size> <roundtrip-count>";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 3);
        var bindTo = args.text(0);
        int size = args.size(1);
        int count = args.count(2);
        // libzmq sleeps 1 s before closing; closing the context already flushes the last reply.
        try (var ctx = session.zmq().newContext();
             var rep = ctx.socket(PerfZmq.Kind.REP)) {
            session.bind(rep, bindTo);
            Measure.echo(rep, size, count);
        }
    }
}
