package dev.zmq.internal.pipe;

import java.util.concurrent.atomic.AtomicInteger;

/** Both sides a {@link Pipe} wakes, counting each wake-up, for the unit tests of pipes and of the patterns over them. */
public final class WakeCounts implements PipeEndpoint, PipeOwner {
    /** The connection was told there is output to send. */
    final AtomicInteger connection = new AtomicInteger();
    /** The paused connection was told to read again. */
    final AtomicInteger resume = new AtomicInteger();
    /** The reader was told a message arrived. */
    final AtomicInteger reader = new AtomicInteger();
    /** A waiting writer was told there is room. */
    final AtomicInteger writer = new AtomicInteger();
    /** The connection was told the application started giving frame arrays back. */
    final AtomicInteger returnsHeld = new AtomicInteger();

    @Override
    public void returnedFramesHeld() {
        returnsHeld.incrementAndGet();
    }

    @Override
    public void outboundReady() {
        connection.incrementAndGet();
    }

    @Override
    public void resumeReading() {
        resume.incrementAndGet();
    }

    @Override
    public void inboundArrived(Pipe pipe) {
        reader.incrementAndGet();
    }

    @Override
    public void outboundRoom(Pipe pipe) {
        writer.incrementAndGet();
    }
}
