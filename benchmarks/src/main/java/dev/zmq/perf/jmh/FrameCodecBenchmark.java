package dev.zmq.perf.jmh;

import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.FrameFlags;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The frame codec alone, per frame, on one thread: decoding a direct buffer holding {@value #FRAMES}
 * single-frame messages (what an I/O thread does after a read), and encoding as many into a
 * direct output buffer. Frame bodies are {@code size} bytes. The decoder's frames go to a
 * sink that hands them to a {@link Blackhole}, so their allocation is part of the cost, as it is
 * in the engine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    static final int FRAMES = 1024;

    @Param({"16", "256"})
    int size;

    private ByteBuffer wire;
    private FrameDecoder decoder;
    private Blackhole sinkHole;
    private final FrameEncoder encoder = new FrameEncoder();
    private ByteBuffer out;
    private byte[][] message;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        sinkHole = blackhole;
        int headerSize = size > 255 ? 9 : 2;
        wire = ByteBuffer.allocateDirect(FRAMES * (headerSize + size));
        out = ByteBuffer.allocateDirect(FRAMES * (headerSize + size));
        var body = new byte[size];
        for (int i = 0; i < FRAMES; i++) {
            if (size > 255) {
                wire.put((byte) FrameFlags.LONG).putLong(size);
            } else {
                wire.put((byte) 0).put((byte) size);
            }
            wire.put(body);
        }
        wire.flip();
        decoder = new FrameDecoder((flags, frame) -> sinkHole.consume(frame));
        message = new byte[][] {body};
    }

    /** Per frame: a buffer of frames decoded, as after a read. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int decode() throws Exception {
        wire.rewind();
        decoder.decode(wire);
        return wire.position();
    }

    /** Per frame: single-frame messages encoded into an output buffer. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int encode() {
        out.clear();
        for (int i = 0; i < FRAMES; i++) {
            encoder.start(message, false);
            encoder.encode(out);
        }
        return out.position();
    }
}
