package dev.zmq.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/** Assertions that say exactly which frame and which byte differ. */
final class Checks {
    static final Duration RECV_TIMEOUT = Duration.ofSeconds(10);

    private Checks() {
    }

    /** The next message on {@code socket}, failing the test if none arrives within {@link #RECV_TIMEOUT}. */
    static Message receive(PeerSocket socket, String what) {
        var m = socket.recv(RECV_TIMEOUT);
        assertNotNull(m, () -> socket.label() + " received nothing within " + RECV_TIMEOUT + " while expecting " + what);
        return m;
    }

    static void assertMessage(Message expected, Message actual, String what) {
        var difference = difference(expected, actual);
        if (difference != null) {
            fail(what + ": " + difference + "\n  expected " + expected + "\n  actual   " + actual);
        }
    }

    static void assertMessages(List<Message> expected, List<Message> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            var difference = difference(expected.get(i), actual.get(i));
            if (difference != null) {
                fail(what + ": message #" + i + " of " + expected.size() + ": " + difference
                        + "\n  expected " + expected.get(i) + "\n  actual   " + actual.get(i));
            }
        }
        if (expected.size() != actual.size()) {
            fail(what + ": expected " + expected.size() + " messages, got " + actual.size());
        }
    }

    /** Null if equal, otherwise where the first difference is. */
    static String difference(Message expected, Message actual) {
        if (actual.size() != expected.size()) {
            return "expected " + expected.size() + " frames, got " + actual.size();
        }
        for (int f = 0; f < expected.size(); f++) {
            var e = expected.frame(f);
            var a = actual.frame(f);
            int at = Arrays.mismatch(e, a);
            if (at >= 0) {
                return "frame " + f + " differs: expected " + e.length + " bytes, got " + a.length
                        + (at < Math.min(e.length, a.length) ? ", first difference at byte " + at + " (expected "
                                + hex(e, at) + ", got " + hex(a, at) + ")" : "");
            }
        }
        return null;
    }

    static void assertFrameEmpty(Message m, int index, String what) {
        if (m.size() <= index || m.frame(index).length != 0) {
            fail(what + ": expected an empty frame at index " + index + " in " + m);
        }
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout}. */
    static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    private static String hex(byte[] b, int at) {
        return HexFormat.of().formatHex(b, at, Math.min(b.length, at + 8));
    }
}
