package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection hands what it decoded to the application in batches (see ZmtpEngine's read loop):
 * whatever ends the reading, every complete message that arrived before is delivered, in order,
 * whole. A burst of small, large (several reads each) and multi-frame messages is followed by
 * the peer's close, or by a frame with reserved flags that makes us drop the peer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryBeforeCloseTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int[] SIZES = {0, 1, 255, 256, 4096, 65_536, 65_545, 300_000, 1_500_000};

    @ParameterizedTest(name = "burst then {0}")
    @ValueSource(strings = {"close", "protocol error"})
    void everyMessageBeforeTheEndIsDelivered(String end) throws Exception {
        var random = new Random(end.length());
        var sent = new ArrayList<Message>();
        var wire = new ByteArrayOutputStream();
        for (int round = 0; round < 3; round++) {
            for (int size : SIZES) {
                var body = new byte[size];
                random.nextBytes(body);
                var message = round == 1 ? Message.of(new byte[] {(byte) size}, body) : Message.of(body);
                sent.add(message);
                wire.write(Zmtp.message(message.frames().toArray(new byte[0][])));
            }
        }
        if (end.equals("protocol error")) {
            wire.write(Zmtp.header(0x40, 1)); // reserved flag bit
            wire.write(0);
        }
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL);
             var raw = RawZmtpClient.connect(pull.bind("tcp://127.0.0.1:*"))) {
            raw.handshake("PUSH", T);
            raw.write(wire.toByteArray());
            if (end.equals("close")) {
                raw.close();
            } else {
                assertTrue(raw.awaitClosedByPeer(T), "a peer sending reserved flags was not dropped");
            }
            for (int i = 0; i < sent.size(); i++) {
                var m = pull.recv(T);
                assertNotNull(m, "message " + i + " of " + sent.size() + " was not delivered before the " + end);
                assertFrames(sent.get(i).frames(), m.frames(), i);
            }
        }
    }

    private static void assertFrames(List<byte[]> expected, List<byte[]> actual, int index) {
        assertEquals(expected.size(), actual.size(), "frames of message " + index);
        for (int f = 0; f < expected.size(); f++) {
            assertArrayEquals(expected.get(f), actual.get(f), "frame " + f + " of message " + index);
        }
    }
}
