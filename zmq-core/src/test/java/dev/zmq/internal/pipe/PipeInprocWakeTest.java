package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.zmq.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How an inproc pipe wakes the peer socket's sleeping reader: at once through
 * {@link PipeOwner#inboundArrivedWithoutLock} when the peer can be woken without its lock, else
 * through {@link PipeOwner#inboundArrived}, run only once the sending socket's lock is released
 * ({@link PipeOwner#runAfterUnlock}), so that no thread holds two sockets' locks.
 */
class PipeInprocWakeTest {
    private static final Message REQUEST = Message.of("request");

    /** A socket's side: whether it can be woken without its lock, and every wake-up it was given or asked to defer. */
    private static final class Owner implements PipeOwner {
        final boolean lockFree;
        int withoutLock;
        int withLock;
        final List<Runnable> deferred = new ArrayList<>();

        Owner(boolean lockFree) {
            this.lockFree = lockFree;
        }

        @Override
        public boolean inboundArrivedWithoutLock(Pipe pipe) {
            withoutLock++;
            return lockFree;
        }

        @Override
        public void inboundArrived(Pipe pipe) {
            withLock++;
        }

        @Override
        public void outboundRoom(Pipe pipe) {
        }

        @Override
        public void runAfterUnlock(Runnable task) {
            deferred.add(task); // as a socket holding its lock: run later, by the test
        }
    }

    private static Pipe[] mates(Owner first, Owner second) {
        var a = Pipe.inproc(1000, 1000, false, new WakeCounts(), first, new DropCounter());
        var b = Pipe.mateOf(a, 1000, 1000, new WakeCounts(), second, new DropCounter());
        a.linkMate(b);
        return new Pipe[] {a, b};
    }

    @Test
    void aReaderThatCanBeWokenWithoutItsLockIsWokenAtOnceAndNothingIsDeferred() {
        var sender = new Owner(true);
        var receiver = new Owner(true);
        var pipes = mates(sender, receiver);
        assertEquals(null, pipes[1].pollIn()); // found empty: the reader's flag is up

        pipes[0].pushOut(REQUEST);

        assertEquals(1, receiver.withoutLock, "the reader was woken once, at once");
        assertEquals(0, sender.deferred.size(), "nothing left for the sender's unlock");
        assertEquals(0, receiver.withLock, "no wake-up through the reader's lock");
        assertSame(REQUEST, pipes[1].pollIn());
    }

    @Test
    void aReaderThatNeedsItsLockIsWokenOnlyOnceTheSendersLockIsReleased() {
        var sender = new Owner(true);
        var receiver = new Owner(false);
        var pipes = mates(sender, receiver);
        assertEquals(null, pipes[1].pollIn());

        pipes[0].pushOut(REQUEST);

        assertEquals(1, receiver.withoutLock, "asked first whether a lock-free wake-up does");
        assertEquals(0, receiver.withLock, "not woken through its lock while the sender holds its own");
        assertEquals(1, sender.deferred.size(), "the wake-up waits for the sender's unlock");
        sender.deferred.get(0).run();
        assertEquals(1, receiver.withLock, "woken once the sender's lock is released");
        assertSame(REQUEST, pipes[1].pollIn());
    }

    @Test
    void aReaderAwakeIsNotWokenAgainUntilItFindsThePipeEmpty() {
        var sender = new Owner(true);
        var receiver = new Owner(true);
        var pipes = mates(sender, receiver);
        assertEquals(null, pipes[1].pollIn());
        pipes[0].pushOut(REQUEST);
        pipes[0].pushOut(REQUEST); // the flag went down with the first wake-up

        assertEquals(1, receiver.withoutLock, "one wake-up for the reader's one sleep");
        pipes[1].pollIn();
        pipes[1].pollIn();
        assertEquals(null, pipes[1].pollIn()); // asleep again
        pipes[0].pushOut(REQUEST);
        assertEquals(2, receiver.withoutLock, "woken again after it slept again");
    }
}
