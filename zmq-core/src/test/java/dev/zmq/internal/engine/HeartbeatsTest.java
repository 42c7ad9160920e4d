package dev.zmq.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.wire.Command;
import dev.zmq.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The heartbeat component alone, on a real I/O thread, with a connection that records what it is told. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatsTest {
    private final IoThread io = new IoThread("heartbeats-test");
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicBoolean active = new AtomicBoolean();
    private final Heartbeats.Connection connection = new Heartbeats.Connection() {
        @Override
        public IoThread.Timer schedule(long delayMillis, Runnable action) {
            return io.schedule(delayMillis, action);
        }

        @Override
        public void close(String reason) {
            closed.add(reason);
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        @Override
        public boolean isActive() {
            return active.get();
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        io.stop();
        assertTrue(io.join(5_000), "the I/O thread did not stop");
    }

    /** Runs {@code call} on the I/O thread, as the engine does, and returns its result. */
    private <T> T onIo(Supplier<T> call) throws Exception {
        var result = new CompletableFuture<T>();
        io.execute(() -> result.complete(call.get()));
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void onePongIsPendingAtMostAndAnswersTheLatestPing() throws Exception {
        var heartbeats = new Heartbeats(connection, new EngineSettings.Heartbeat(0, 0, -1), 0);
        assertTrue(onIo(heartbeats::idle));
        assertFalse(onIo(() -> heartbeats.onPing(new Command.Ping(0, new byte[] {1}))), "no PONG was pending");
        assertTrue(onIo(() -> heartbeats.onPing(new Command.Ping(0, new byte[] {2}))), "the first PONG was still pending");
        assertFalse(onIo(heartbeats::idle));
        var pong = onIo(heartbeats::nextCommand);
        var decoded = assertInstanceOf(Command.Pong.class, decode(pong));
        assertArrayEquals(new byte[] {2}, decoded.context(), "the PONG echoes the latest PING's context");
        assertNull(onIo(heartbeats::nextCommand), "one PONG for two PINGs");
        assertTrue(onIo(heartbeats::idle));
    }

    @Test
    void ourPingsGoEveryIntervalAndSilenceAfterOneClosesTheConnection() throws Exception {
        active.set(true);
        var heartbeats = new Heartbeats(connection, new EngineSettings.Heartbeat(50, 3_000, 200), 0);
        onIo(() -> {
            heartbeats.startPinging();
            return null;
        });
        Await.until("a PING is queued and the connection asked to write it", Duration.ofSeconds(5), () -> flushes.get() > 0);
        var ping = assertInstanceOf(Command.Ping.class, decode(onIo(heartbeats::nextCommand)));
        assertEquals(30, ping.ttlDeciseconds(), "HEARTBEAT_TTL goes out in tenths of a second");
        Await.until("HEARTBEAT_TIMEOUT closes a silent connection", Duration.ofSeconds(5), () -> !closed.isEmpty());
        assertTrue(closed.get(0).contains("HEARTBEAT_TIMEOUT"), closed.get(0));
        onIo(() -> {
            heartbeats.stop();
            return null;
        });
    }

    @Test
    void trafficKeepsThePeersTtlFromExpiring() throws Exception {
        active.set(true);
        var heartbeats = new Heartbeats(connection, new EngineSettings.Heartbeat(0, 0, -1), 0);
        // The peer asks for a TTL of 0.3 s; traffic arriving in time (here at once) disarms it.
        onIo(() -> {
            heartbeats.onPing(new Command.Ping(3, new byte[0]));
            heartbeats.onTraffic();
            return null;
        });
        afterIoMillis(600);
        assertTrue(closed.isEmpty(), "the TTL expired although traffic came: " + closed);
        // With no traffic after the next PING, its TTL closes the connection.
        onIo(() -> heartbeats.onPing(new Command.Ping(3, new byte[0])));
        Await.until("the peer's TTL closes the connection", Duration.ofSeconds(5), () -> !closed.isEmpty());
        assertTrue(closed.get(0).contains("TTL"), closed.get(0));
    }

    @Test
    void theHandshakeDeadlineClosesOnlyAConnectionStillShakingHands() throws Exception {
        var late = new Heartbeats(connection, new EngineSettings.Heartbeat(0, 0, -1), 50);
        onIo(() -> {
            late.startHandshakeTimer();
            return null;
        });
        Await.until("HANDSHAKE_IVL closes the connection", Duration.ofSeconds(5), () -> !closed.isEmpty());
        assertTrue(closed.get(0).contains("HANDSHAKE_IVL"), closed.get(0));

        closed.clear();
        var done = new Heartbeats(connection, new EngineSettings.Heartbeat(0, 0, -1), 50);
        onIo(() -> {
            done.startHandshakeTimer();
            done.handshakeDone();
            return null;
        });
        afterIoMillis(300); // well after the deadline would have fired
        assertTrue(closed.isEmpty(), "a cancelled handshake deadline closed the connection: " + closed);
    }

    /** Waits until the I/O thread ran a timer of {@code millis} scheduled now: the timers due before it have run. */
    private void afterIoMillis(long millis) throws Exception {
        var fired = new CompletableFuture<Void>();
        onIo(() -> io.schedule(millis, () -> fired.complete(null)));
        fired.get(10, TimeUnit.SECONDS);
    }

    private static Command decode(byte[] body) throws Exception {
        return Command.decode(body);
    }
}
