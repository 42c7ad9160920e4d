package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import org.junit.jupiter.api.Test;

/**
 * How a reader reports its progress to the writer ({@link Pipe#reportStep}), inproc and on a
 * connection's inbound queue: every message under small marks, every few messages under large
 * ones and always once it has read all it saw; the writer's limit (SNDHWM + RCVHWM inproc, RCVHWM
 * for a connection) is never exceeded either way.
 */
class PipeReadReportTest {
    private static final Message M = Message.of("m");

    /** An inproc pair: {@code [0]} writes, {@code [1]} reads. */
    private static Pipe[] mates(int sndhwm, int rcvhwm, WakeCounts writer, WakeCounts reader) {
        var a = Pipe.inproc(sndhwm, rcvhwm, false, writer, writer, new DropCounter());
        var b = Pipe.mateOf(a, sndhwm, rcvhwm, reader, reader, new DropCounter());
        a.linkMate(b);
        return new Pipe[] {a, b};
    }

    /** Sends until the writer finds no room; returns how many it sent. */
    private static int fill(Pipe writer) {
        int sent = 0;
        while (writer.hasRoomOut()) {
            writer.pushOut(M);
            sent++;
        }
        return sent;
    }

    @Test
    void theStepIsOneUnderSmallMarksAndAnEighthOfTheCreditBatchUpToThirtyTwo() {
        assertEquals(1, Pipe.reportStep(2));
        assertEquals(1, Pipe.reportStep(15));
        assertEquals(6, Pipe.reportStep(100)); // credit batch 50
        assertEquals(Pipe.MAX_REPORT_STEP, Pipe.reportStep(2000));
        assertEquals(Pipe.MAX_REPORT_STEP, Pipe.reportStep(0), "no limit: nobody waits for the reports");
    }

    @Test
    void underSmallMarksEveryMessageReadIsRoomForTheWriterAtOnce() {
        var pipes = mates(2, 3, new WakeCounts(), new WakeCounts());
        assertEquals(5, fill(pipes[0]));
        for (int i = 0; i < 5; i++) {
            assertNotNull(pipes[1].pollIn());
            assertEquals(1, fill(pipes[0]), "read " + (i + 1) + ": room for exactly the message read");
        }
    }

    @Test
    void underLargeMarksReadsAreReportedEveryStepAndWhenTheReaderCaughtUp() {
        var pipes = mates(1000, 1000, new WakeCounts(), new WakeCounts());
        assertEquals(2000, fill(pipes[0]), "SNDHWM + RCVHWM, exactly");
        int step = Pipe.reportStep(2000);
        for (int i = 0; i < step - 1; i++) {
            assertNotNull(pipes[1].pollIn());
        }
        assertFalse(pipes[0].hasRoomOut(), "fewer reads than a step are not reported yet");
        assertNotNull(pipes[1].pollIn());
        assertEquals(step, fill(pipes[0]), "a step's reads are room for exactly that many");

        int read = 0;
        while (pipes[1].pollIn() != null) {
            read++;
        }
        assertEquals(2000, read);
        assertEquals(2000, fill(pipes[0]), "a reader that read everything it saw reported all of it");
    }

    @Test
    void aWaitingWriterIsWokenByTheFirstReportAtOrBelowItsWakeMark() {
        var writer = new WakeCounts();
        var pipes = mates(1000, 1000, writer, new WakeCounts());
        assertEquals(2000, fill(pipes[0])); // the last look found it full: the writer waits
        int read = 0;
        while (writer.writer.get() == 0) {
            assertNotNull(pipes[1].pollIn(), "the writer was never woken");
            read++;
        }
        // Woken once at most 1000 are queued (the credit batch), at most one step after that.
        assertTrue(read >= 1000 && read < 1000 + Pipe.reportStep(2000), "woken after " + read + " reads");
        assertEquals(1, writer.writer.get());
        assertEquals(read, fill(pipes[0]), "the room is what was read");
    }

    /** A connection's pipe under RCVHWM {@code rcvhwm}: the connection offers and publishes until RCVHWM; returns how many. */
    private static int deliverUntilPaused(Pipe pipe) {
        int delivered = 0;
        boolean keepReading = true;
        while (keepReading) {
            assertTrue(pipe.inboundRoom() > 0, "the connection was told to go on at RCVHWM");
            pipe.offerIn(M);
            delivered++;
            keepReading = pipe.publishIn();
        }
        assertEquals(0, pipe.inboundRoom());
        assertTrue(pipe.isReadPaused());
        return delivered;
    }

    @Test
    void aConnectionReaderUnderSmallMarksReportsEveryMessage() {
        var sides = new WakeCounts();
        var pipe = new Pipe(4, 4, false, sides, sides, new DropCounter());
        assertEquals(4, deliverUntilPaused(pipe), "RCVHWM, exactly");
        for (int i = 1; i <= 4; i++) {
            assertNotNull(pipe.pollIn());
            assertEquals(i, pipe.inboundRoom(), "read " + i + ": room for exactly the messages read");
        }
        assertEquals(1, sides.resume.get(), "resumed once, at the low-water mark");
    }

    @Test
    void aConnectionReaderUnderLargeMarksReportsEveryStepAndWhenItCaughtUp() {
        var sides = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, sides, sides, new DropCounter());
        assertEquals(1000, deliverUntilPaused(pipe), "RCVHWM, exactly");
        int step = Pipe.reportStep(1000);
        assertTrue(step > 1);
        for (int i = 0; i < step - 1; i++) {
            assertNotNull(pipe.pollIn());
        }
        assertEquals(0, pipe.inboundRoom(), "fewer reads than a step are not reported yet");
        assertNotNull(pipe.pollIn());
        assertEquals(step, pipe.inboundRoom(), "a step's reads are room for exactly that many");

        int read = step;
        while (sides.resume.get() == 0) {
            assertNotNull(pipe.pollIn(), "the connection was never resumed");
            read++;
        }
        // Resumed at the low-water mark (half of RCVHWM), at most one step after that.
        assertTrue(read >= 500 && read < 500 + step, "resumed after " + read + " reads");
        while (pipe.pollIn() != null) {
            read++;
        }
        assertEquals(1000, read);
        assertEquals(1000, pipe.inboundRoom(), "a reader that read everything it saw reported all of it");
        assertEquals(1, sides.resume.get());
    }
}
