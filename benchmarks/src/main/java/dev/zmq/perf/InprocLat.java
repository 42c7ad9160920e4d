package dev.zmq.perf;

import java.util.List;

/**
 * {@code inproc_lat <message-size> <roundtrip-count>}: a REQ bound to {@code inproc://lat_test}
 * times roundtrips to a REP on a worker thread of the same context.
 */
final class InprocLat implements PerfCommand {
    static final String ENDPOINT = "inproc://lat_test";

    @Override
    public String name() {
        return "inproc_lat";
    }

    @Override
    public String arguments() {
        return "<message-size> <roundtrip-count>";
    }

    @Override
    public void run(Session session, List<String> values) {
        var args = Args.expect(values, 2);
        int size = args.size(0);
        int count = args.count(1);
        try (var ctx = session.zmq().newContext()) {
            var req = ctx.socket(PerfZmq.Kind.REQ);
            PeerThread worker = null;
            long elapsed;
            try {
                req.bind(ENDPOINT);
                worker = PeerThread.start("inproc_lat worker", ctx, c -> {
                    try (var rep = c.socket(PerfZmq.Kind.REP)) {
                        rep.connect(ENDPOINT);
                        // libzmq's worker echoes without checking sizes; the main thread checks them.
                        for (int i = 0; i < count; i++) {
                            rep.send(rep.recv());
                        }
                    }
                });
                Measure.printLatencyHeader(session.out(), size, count);
                elapsed = Measure.roundtripsArrays(req, size, count);
                worker.join();
            } catch (RuntimeException e) {
                PeerThread.closeAfter(req, e);
                throw worker == null ? e : worker.stopAfter(e, ctx);
            }
            req.close();
            Measure.printLatency(session.out(), count, elapsed);
        }
    }
}
