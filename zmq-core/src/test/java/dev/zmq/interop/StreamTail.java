package dev.zmq.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Drains a stream in the background, keeping its last few KiB for failure messages. */
final class StreamTail {
    private static final int KEEP = 16 * 1024;
    private final StringBuilder tail = new StringBuilder();
    private final CountDownLatch ended = new CountDownLatch(1);

    private StreamTail() {
    }

    static StreamTail follow(InputStream in, String threadName) {
        var t = new StreamTail();
        LibzmqProcess.daemon(threadName, () -> t.drain(in)).start();
        return t;
    }

    synchronized String text() {
        return tail.toString();
    }

    /** Waits up to {@code timeout} for the stream's end (its process exited), so that {@link #text()} is complete. */
    void awaitEnd(Duration timeout) {
        try {
            ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain(InputStream in) {
        var buffer = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // The process is gone; what we kept is all there is.
        } finally {
            ended.countDown();
        }
    }

    private synchronized void append(String s) {
        tail.append(s);
        if (tail.length() > KEEP) {
            tail.delete(0, tail.length() - KEEP);
        }
    }
}
