package dev.zmq.perf.jmh;

import dev.zmq.internal.crypto.NaclBox;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CURVE box alone ({@code internal/crypto/NaclBox}), per message of {@code size} bytes, on one
 * thread: the calls a CURVE connection makes for every data frame once the handshake is done
 * (CurveCodec's MESSAGE: XSalsa20 keystream, Poly1305 tag, one flags byte sealed before the data),
 * with a precomputed short-term key as after {@code crypto_box_beforenm}. {@code open} verifies
 * and decrypts the same box every time (NaclBox does not check nonce order; CurveCodec does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CurveBoxBenchmark {
    @Param({"64"})
    int size;

    private final NaclBox box = new NaclBox();
    private final byte[] key = new byte[NaclBox.KEY_BYTES];
    private final byte[] nonce = new byte[NaclBox.NONCE_BYTES];
    private byte[] message;
    private byte[] sealed;
    private byte[] opened;

    @Setup
    public void setUp() {
        Arrays.fill(key, (byte) 7);
        System.arraycopy("CurveZMQMESSAGEC".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, nonce, 0, 16);
        nonce[23] = 1;
        message = new byte[size];
        Arrays.fill(message, (byte) 'x');
        sealed = new byte[NaclBox.MAC_BYTES + 1 + size];
        opened = new byte[size];
        box.seal(key, nonce, (byte) 0, message, 0, size, sealed, 0);
    }

    /** Encrypt: seal flags and message into tag + ciphertext, as a sender does per frame. */
    @Benchmark
    public byte[] seal() {
        var out = new byte[NaclBox.MAC_BYTES + 1 + size];
        box.seal(key, nonce, (byte) 0, message, 0, size, out, 0);
        return out;
    }

    /** Decrypt: verify the tag and open flags and message, as a receiver does per frame. */
    @Benchmark
    public int open() {
        int flags = box.openWithPrefix(key, nonce, sealed, 0, sealed.length, opened, 0);
        if (flags < 0) {
            throw new IllegalStateException("box did not verify");
        }
        return flags;
    }
}
