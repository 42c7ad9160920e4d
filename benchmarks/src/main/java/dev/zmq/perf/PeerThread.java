package dev.zmq.perf;

import java.util.function.Consumer;

/**
 * The peer half of an inproc tool, on its own thread as libzmq's worker pthread, sharing the main
 * thread's context. A peer that fails closes the context, which wakes the main thread's blocked
 * call with ETERM; the peer's failure is then the one worth reporting.
 */
final class PeerThread {
    private final Thread thread;
    private volatile boolean abandoned;
    private volatile boolean failedFirst;
    private volatile RuntimeException failure;

    private PeerThread(String name, PerfZmq.Context ctx, Consumer<PerfZmq.Context> body) {
        thread = new Thread(() -> {
            try {
                body.accept(ctx);
            } catch (RuntimeException e) {
                failure = e;
                failedFirst = !abandoned;
                ctx.close();
            }
        }, name);
        thread.setDaemon(true);
    }

    static PeerThread start(String name, PerfZmq.Context ctx, Consumer<PerfZmq.Context> body) {
        var peer = new PeerThread(name, ctx, body);
        peer.thread.start();
        return peer;
    }

    /** Waits for the peer to finish and rethrows its failure, if any. */
    void join() {
        awaitThread();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Called by the main thread when it failed with {@code mainFailure}, after closing its own
     * socket: closes the context (waking the peer if it is blocked), waits for the peer and returns
     * the failure to report, the peer's if the peer failed first.
     */
    RuntimeException stopAfter(RuntimeException mainFailure, PerfZmq.Context ctx) {
        abandoned = true;
        ctx.close();
        awaitThread();
        var peerFailure = failure;
        if (peerFailure == null || peerFailure == mainFailure) {
            return mainFailure;
        }
        if (failedFirst) {
            peerFailure.addSuppressed(mainFailure);
            return peerFailure;
        }
        mainFailure.addSuppressed(peerFailure);
        return mainFailure;
    }

    private void awaitThread() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PerfException(null, "interrupted while waiting for the worker thread");
        }
    }

    /** Closes {@code socket} after a failure, keeping any close error as suppressed. */
    static void closeAfter(PerfZmq.Socket socket, RuntimeException failure) {
        try {
            socket.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
