package dev.zmq.perf.jmh;

import dev.zmq.internal.crypto.NaclBox;
import dev.zmq.internal.crypto.SequenceBox;
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
 * The CURVE box alone, per message of {@code size} bytes, on one thread: what a CURVE connection
 * does for every data frame once the handshake is done (the MESSAGE box: XSalsa20 keystream,
 * Poly1305 tag, one flags byte sealed before the data), with a precomputed short-term key as after
 * {@code crypto_box_beforenm}. {@code seal}/{@code open}: {@code internal/crypto/SequenceBox}, as
 * CurveCodec uses it (XSalsa20 subkey derived once per connection, our Salsa20 block and Poly1305),
 * sealing into a reused array as into the output buffer. {@code naclSeal}/{@code naclOpen}: the
 * general {@code NaclBox} with the flags byte and data in one array (XSalsa20 set up afresh per
 * message, as CurveCodec did before), for comparison. {@code open} verifies and decrypts the same
 * box every time (the boxes do not check nonce order; CurveCodec does).
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
    private SequenceBox sequenceBox;
    private byte[] message;
    private byte[] flagsAndMessage;
    private byte[] sealed;
    private byte[] out;
    private byte[] opened;

    @Setup
    public void setUp() {
        Arrays.fill(key, (byte) 7);
        var prefix = "CurveZMQMESSAGEC".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, nonce, 0, 16);
        nonce[23] = 1;
        sequenceBox = new SequenceBox(key, prefix);
        message = new byte[size];
        Arrays.fill(message, (byte) 'x');
        flagsAndMessage = new byte[1 + size];
        System.arraycopy(message, 0, flagsAndMessage, 1, size);
        sealed = box.seal(key, nonce, flagsAndMessage);
        out = new byte[sealed.length];
        opened = new byte[size];
    }

    /** Encrypt: seal flags and message into tag + ciphertext, as a sender does per frame (into its output buffer). */
    @Benchmark
    public byte[] seal() {
        sequenceBox.seal(1, (byte) 0, message, 0, size, out, 0);
        return out;
    }

    /** Decrypt: verify the tag and open flags and message, as a receiver does per frame. */
    @Benchmark
    public int open() {
        int flags = sequenceBox.open(1, sealed, 0, sealed.length, opened, 0);
        if (flags < 0) {
            throw new IllegalStateException("box did not verify");
        }
        return flags;
    }

    /** The general box: XSalsa20 from the whole nonce, a new array per message. */
    @Benchmark
    public byte[] naclSeal() {
        return box.seal(key, nonce, flagsAndMessage);
    }

    /** The general box: verify and open into a new array. */
    @Benchmark
    public byte[] naclOpen() {
        var plain = box.open(key, nonce, sealed);
        if (plain == null) {
            throw new IllegalStateException("box did not verify");
        }
        return plain;
    }
}
