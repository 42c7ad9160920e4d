package dev.zmq.perf;

import java.util.List;

/**
 * {@code inproc_thr <message-size> <message-count>}: a PULL bound to {@code inproc://thr_test}
 * measures what a PUSH on a worker thread of the same context sends.
 */
final class InprocThr implements PerfCommand {
    static final String ENDPOINT = "inproc://thr_test";

    @Override
    public String name() {
        return "inproc_thr";
    }

    @Override
    public String arguments() {
        return "<message-size> <message-count>";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 2);
        int size = args.size(0);
        int count = args.count(1);
        try (var ctx = session.zmq().newContext()) {
            var pull = ctx.socket(PerfZmq.Kind.PULL);
            PeerThread worker = null;
            long elapsed;
            try {
                pull.bind(ENDPOINT);
                worker = PeerThread.start("inproc_thr worker", ctx, c -> {
                    try (var push = c.socket(PerfZmq.Kind.PUSH)) {
                        push.connect(ENDPOINT);
                        Measure.send(push, size, count);
                    }
                });
                Measure.printThroughputHeader(session.out(), size, count);
                elapsed = Measure.receiveArrays(pull, size, count);
                worker.join();
            } catch (RuntimeException e) {
                PeerThread.closeAfter(pull, e);
                throw worker == null ? e : worker.stopAfter(e, ctx);
            }
            pull.close();
            Measure.printThroughput(session.out(), size, count, elapsed, true);
        }
    }
}
