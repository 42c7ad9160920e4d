package dev.zmq.perf;

import java.util.List;

/** {@code remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]}: connects a PUSH and sends. */
final class RemoteThr implements PerfCommand {
    @Override
    public String name() {
        return "remote_thr";
    }

    @Override
    public String arguments() {
        return "<connect-to> <message-size> <message-count> [<enable_curve>]";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 3, 4);
        boolean curve = args.flag(3);
        var connectTo = args.text(0);
        int size = args.size(1);
        int count = args.count(2);
        // Closing the context waits for the queued messages to be delivered (default LINGER).
        try (var ctx = session.zmq().newContext();
             var push = ctx.socket(PerfZmq.Kind.PUSH)) {
            if (curve) {
                PerfCurve.client(push, System.getenv());
            }
            push.connect(connectTo);
            Measure.send(push, size, count);
        }
    }
}
