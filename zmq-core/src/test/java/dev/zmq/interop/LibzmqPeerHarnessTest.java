package dev.zmq.interop;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The libzmq child-process peer itself: start-up checks, timeouts, errors, clean-up. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LibzmqPeerHarnessTest {

    @Test
    void missingPyzmqFailsWithTheInstallCommand() {
        Libzmq.assumeAvailable(); // the point is an interpreter that lacks only pyzmq
        // -S skips site-packages, where Debian's python3-zmq lives: zmq is not importable.
        var e = assertThrows(IllegalStateException.class, () -> LibzmqProcess.start(List.of(LibzmqProcess.PYTHON, "-S")).close());
        assertTrue(e.getMessage().contains("apt-get install -y python3-zmq"), e::getMessage);
        assertTrue(e.getMessage().contains("No module named 'zmq'"), () -> "stderr not surfaced: " + e.getMessage());
    }

    @Test
    void talksToLibzmq43AndTimesOutOnItsOwn() {
        try (var process = LibzmqProcess.start()) {
            assertTrue(process.version().startsWith("4.3."), process::version);
            var pull = new LibzmqPeer(process, SocketType.PULL);
            pull.bind("tcp://127.0.0.1:*");
            long start = System.nanoTime();
            assertNull(pull.recv(Duration.ofMillis(200)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 150 && ms < 5_000, () -> "recv with a 200 ms timeout took " + ms + " ms");
            pull.close();
        }
    }

    @Test
    void framesSurviveTheLineProtocolExactly() {
        try (var process = LibzmqProcess.start()) {
            var pair1 = new LibzmqPeer(process, SocketType.PAIR);
            var pair2 = new LibzmqPeer(process, SocketType.PAIR);
            pair2.connect(pair1.bind("tcp://127.0.0.1:*"));
            var message = Message.of(new byte[0], new byte[] {0, (byte) 0xff, '|', ' ', '\n'}, new byte[0]);
            pair2.send(message);
            Checks.assertMessage(message, pair1.recv(Duration.ofSeconds(10)), "round trip through libzmq");
            pair2.sendAll(List.of(Message.of("a"), Message.of(new byte[0]), Message.of("b", "c")));
            var all = pair1.recvAll(3, Duration.ofSeconds(10));
            Checks.assertMessages(List.of(Message.of("a"), Message.of(new byte[0]), Message.of("b", "c")), all, "batch");
        }
    }

    @Test
    void libzmqErrorsArriveAsZmqExceptionsAndScriptFailuresCarryTheTraceback() {
        try (var process = LibzmqProcess.start()) {
            var router = new LibzmqPeer(process, SocketType.ROUTER);
            router.set(dev.zmq.SocketOption.ROUTER_MANDATORY, true);
            var e = assertThrows(ZmqException.class, () -> router.send(Message.of("nobody", "hello")));
            assertEquals(ZmqError.EHOSTUNREACH, e.error());

            var failure = assertThrows(IllegalStateException.class, () -> process.command("new NO_SUCH_TYPE", Duration.ofSeconds(5)));
            assertTrue(failure.getMessage().contains("AttributeError"), failure::getMessage);
            assertTrue(failure.getMessage().contains("Traceback"), () -> "traceback not included: " + failure.getMessage());
            assertTrue(process.isUsable(), "a failed command must not end the peer");
        }
    }

    @Test
    void closeEndsTheChildProcess() throws Exception {
        var process = LibzmqProcess.start();
        var handle = process.handle();
        assertTrue(handle.isAlive());
        process.close();
        handle.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(handle.isAlive());
        assertFalse(process.isUsable());
    }
}
