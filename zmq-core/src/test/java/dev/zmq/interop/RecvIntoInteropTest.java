package dev.zmq.interop;

import static dev.zmq.testkit.TaggedFrame.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our {@code recv(byte[])} (zmq_recv) reading what JeroMQ and libzmq send: one-frame messages of
 * sizes from empty to 64 KiB and beyond (the arrays the connection reuses), multipart messages
 * frame by frame, truncation, and REQ/REP through the caller's buffers.
 */
class RecvIntoInteropTest {
    private static final LibzmqHost LIBZMQ = new LibzmqHost();

    @AfterAll
    static void stopLibzmq() {
        LIBZMQ.close();
    }

    @ParameterizedTest
    @EnumSource(value = Impl.class, names = {"JEROMQ", "LIBZMQ"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ourPullReadsAPeersPushThroughOneBuffer(Impl peer) {
        try (var session = new PeerSession(LIBZMQ); var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL)) {
            var push = session.socket(peer, SocketType.PUSH);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            int[] sizes = {16, 16, 256, 0, 65536, 65536, 100_000, 16, 256, 256};
            var buffer = new byte[100_000];
            for (int round = 0; round < 3; round++) {
                var batch = new ArrayList<Message>();
                for (int i = 0; i < sizes.length; i++) {
                    batch.add(Message.of(frame(sizes[i], round * 100 + i)));
                }
                batch.add(Message.of(frame(5, 1), new byte[0], frame(300, 2)));
                batch.add(Message.of(frame(20, round)));
                push.sendAll(batch);
                for (int i = 0; i < sizes.length; i++) {
                    int n = pull.recv(buffer);
                    assertEquals(sizes[i], n, peer.label() + " round " + round + " message " + i);
                    assertArrayEquals(frame(sizes[i], round * 100 + i), Arrays.copyOf(buffer, n));
                    assertFalse(pull.hasMore());
                }
                assertEquals(5, pull.recv(buffer));
                assertArrayEquals(frame(5, 1), Arrays.copyOf(buffer, 5));
                assertTrue(pull.hasMore());
                assertEquals(0, pull.recv(buffer));
                assertTrue(pull.hasMore());
                assertEquals(300, pull.recv(buffer, 0, 10), "cut to 10 bytes, the whole size returned");
                assertArrayEquals(Arrays.copyOf(frame(300, 2), 10), Arrays.copyOf(buffer, 10));
                assertFalse(pull.hasMore());
                assertEquals(20, pull.recv(buffer, 0, 20, Duration.ofSeconds(10)));
                assertArrayEquals(frame(20, round), Arrays.copyOf(buffer, 20));
            }
            assertEquals(-1, pull.recv(buffer, 0, 1, Duration.ZERO), "nothing more");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Impl.class, names = {"JEROMQ", "LIBZMQ"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ourRepAnswersAPeersReqFromItsBuffer(Impl peer) {
        try (var session = new PeerSession(LIBZMQ); var ctx = new ZmqContext(); var rep = ctx.socket(SocketType.REP)) {
            var req = session.socket(peer, SocketType.REQ);
            req.connect(rep.bind("tcp://127.0.0.1:*"));
            rep.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            var buffer = new byte[65536];
            for (int i = 0; i < 20; i++) {
                int size = List.of(65536, 16, 65536, 256).get(i % 4);
                req.send(Message.of(frame(size, i)));
                int n = rep.recv(buffer);
                assertEquals(size, n, peer.label() + " request " + i);
                assertArrayEquals(frame(size, i), Arrays.copyOf(buffer, n));
                assertFalse(rep.hasMore(), "the envelope is REP's");
                rep.send(Arrays.copyOf(buffer, n));
                var reply = req.recv(Await.SOON);
                assertEquals(Message.of(frame(size, i)), reply, peer.label() + " reply " + i);
            }
        }
    }
}
