package dev.zmq.robustness;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.logging.Level;

/**
 * Run by {@link ResourceExhaustionTest} in a child JVM with a small heap: peers announce frames of
 * 1 GiB (ZMTP 3.x long frames, and ZMTP 1.0 frames) and send no body. With no MAXMSGSIZE those
 * frames are legal, but the server must not allocate what a peer merely announces: memory is
 * committed as bytes arrive. Fails if the I/O thread hit an error (OutOfMemoryError) or the socket
 * stopped serving.
 */
public final class HeapExhaustionProbe {
    private static final long ANNOUNCED = 1L << 30;

    private HeapExhaustionProbe() {
    }

    public static void main(String[] args) throws Exception {
        int perKind = Integer.parseInt(args[0]);
        try (var logs = LogCapture.start()) {
            var ctx = new ZmqContext(1, Duration.ofSeconds(1));
            var pull = ctx.socket(SocketType.PULL);
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            var push = ctx.socket(SocketType.PUSH);
            push.set(SocketOption.LINGER, 0);
            push.connect(endpoint);
            if (!Probes.roundTrip(push, pull, "before")) {
                Probes.fail("no delivery even before the test" + "\nlibrary log: " + logs.dump());
            }
            var hostile = new ArrayList<RawZmtpClient>();
            for (int i = 0; i < perKind; i++) {
                var v3 = RawZmtpClient.connect(endpoint);
                hostile.add(v3);
                v3.handshake("PUSH", Duration.ofSeconds(5));
                v3.write(Zmtp.header(Zmtp.FLAG_LONG, ANNOUNCED), new byte[100]);

                var v1 = RawZmtpClient.connect(endpoint);
                hostile.add(v1);
                // ZMTP 1.0: 0xFF, an 8-octet length counting the flags octet, the flags. Octet 9
                // (the flags, 0) has bit 0 clear, which is how a 1.0 peer is told from a 3.x one.
                v1.write(new byte[] {(byte) 0xFF}, ByteBuffer.allocate(8).putLong(ANNOUNCED + 1).array(), new byte[] {0}, new byte[100]);
            }
            boolean served = Probes.roundTrip(push, pull, "during");
            var used = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1 << 20);
            var summary = hostile.size() + " peers announcing 1 GiB frames, served during: " + served + ", heap used " + used + " MiB";
            if (logs.has(Level.SEVERE, "")) {
                Probes.fail(summary + "; the library logged errors" + "\nlibrary log: " + logs.dump());
            }
            if (!served) {
                Probes.fail(summary + "\nlibrary log: " + logs.dump());
            }
            for (var c : hostile) {
                c.close();
            }
            ctx.close();
            System.out.println("OK " + summary);
        }
        System.exit(0);
    }
}
