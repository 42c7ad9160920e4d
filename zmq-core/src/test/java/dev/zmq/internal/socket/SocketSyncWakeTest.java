package dev.zmq.internal.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.SocketType;
import dev.zmq.testkit.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wake-ups a pipe's connection side sends without the socket's lock, each in the narrowest
 * window of the waiting thread's steps (look at the pipes, make itself visible, check the wake count,
 * wait): the waker acts on another thread, at a point the test chooses through the lock-free part's
 * order or {@link SocketSync#beforeWait}. A waiting thread that missed the wake-up would wait for
 * good; here it fails at once (the seam refuses the wait) or its wait runs out (time left 0).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketSyncWakeTest {
    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);
    private static final SocketType TYPE = SocketType.PULL;

    /** The waking side as PipeSet runs it: without the lock when it can, else under it. */
    private static boolean wakeReader(SocketSync sync) {
        if (sync.wakeReaderWithoutLock()) {
            return true;
        }
        sync.lock();
        try {
            sync.signalReadable();
        } finally {
            sync.unlock();
        }
        return false;
    }

    private static boolean wakeWriter(SocketSync sync) {
        if (sync.wakeWriterWithoutLock()) {
            return true;
        }
        sync.lock();
        try {
            sync.signalWritable();
        } finally {
            sync.unlock();
        }
        return false;
    }

    /**
     * Runs {@code wake} on a thread of its own (the I/O thread) to its end; what it returned. This
     * thread spins meanwhile instead of parking: a park here would take the unpark meant for the
     * wait that follows.
     */
    private static boolean onAnotherThread(java.util.function.BooleanSupplier wake) {
        var done = CompletableFuture.supplyAsync(wake::getAsBoolean);
        while (!done.isDone()) {
            Thread.onSpinWait();
        }
        return done.join();
    }

    private static void refuseToWait(SocketSync sync) {
        sync.beforeWait(() -> fail("waited although a wake-up was counted after its look"));
    }

    /**
     * A receiver looked, found nothing, and has not registered yet when the connection wakes the
     * socket: the waker finds nobody to unpark. The count it left must keep the receiver from parking.
     */
    @ParameterizedTest(name = "nested={0}")
    @ValueSource(booleans = {false, true})
    void aReaderWokenBetweenItsLookAndItsWaitLooksAgainInsteadOfWaiting(boolean nested) {
        var sync = new SocketSync();
        sync.lock();
        if (nested) {
            sync.lock(); // held twice: the condition's way
        }
        try {
            int ticket = sync.readTicket();
            // ... the look at the pipes finds nothing; now the connection delivers and wakes:
            assertTrue(onAnotherThread(() -> sync.wakeReaderWithoutLock()), "nobody waits yet: no lock needed");
            refuseToWait(sync);

            long left = sync.awaitReadable(LONG_WAIT, TYPE, ticket);

            assertEquals(LONG_WAIT, left, "returned at once, to look again");
        } finally {
            sync.unlock();
            if (nested) {
                sync.unlock();
            }
        }
    }

    @ParameterizedTest(name = "nested={0}")
    @ValueSource(booleans = {false, true})
    void aWriterWokenBetweenItsLookAndItsWaitLooksAgainInsteadOfWaiting(boolean nested) {
        var sync = new SocketSync();
        sync.lock();
        if (nested) {
            sync.lock();
        }
        try {
            int ticket = sync.writeTicket();
            assertTrue(onAnotherThread(() -> sync.wakeWriterWithoutLock()));
            refuseToWait(sync);

            long left = sync.awaitWritable(LONG_WAIT, TYPE, ticket);

            assertEquals(LONG_WAIT, left);
        } finally {
            sync.unlock();
            if (nested) {
                sync.unlock();
            }
        }
    }

    /** A wake-up of the other direction is not one for this waiter: it waits (here until its short time is up). */
    @Test
    void aWriterWakeUpDoesNotCountForAReader() {
        var sync = new SocketSync();
        var waited = new AtomicBoolean();
        sync.lock();
        try {
            int ticket = sync.readTicket();
            assertTrue(sync.wakeWriterWithoutLock());
            sync.beforeWait(() -> waited.set(true));

            sync.awaitReadable(TimeUnit.MILLISECONDS.toNanos(1), TYPE, ticket);

            assertTrue(waited.get(), "the reader's count did not change: it waits");
        } finally {
            sync.unlock();
        }
    }

    /**
     * The receiver registered and checked the count (unchanged) and is about to park when the
     * connection wakes: the waker sees it registered and unparks it without the lock (the park then
     * returns at once).
     */
    @Test
    void aReaderWokenAfterItsLastCheckIsUnparkedWithoutTheLock() {
        var sync = new SocketSync();
        var lockFree = new AtomicBoolean();
        sync.beforeWait(() -> lockFree.set(onAnotherThread(() -> wakeReader(sync))));
        sync.lock();
        try {
            long left = sync.awaitReadable(LONG_WAIT, TYPE, sync.readTicket());

            assertTrue(lockFree.get(), "one parked reader, no condition waiter, no poller: woken without the lock");
            assertTrue(left > 0, "parked until its time was up: the wake-up did not unpark it");
        } finally {
            sync.unlock();
        }
    }

    @Test
    void aWriterWokenAfterItsLastCheckIsUnparkedWithoutTheLock() {
        var sync = new SocketSync();
        var lockFree = new AtomicBoolean();
        sync.beforeWait(() -> lockFree.set(onAnotherThread(() -> wakeWriter(sync))));
        sync.lock();
        try {
            long left = sync.awaitWritable(LONG_WAIT, TYPE, sync.writeTicket());

            assertTrue(lockFree.get());
            assertTrue(left > 0, "parked until its time was up: the wake-up did not unpark it");
        } finally {
            sync.unlock();
        }
    }

    /**
     * A thread waiting on the condition (the lock held twice) is about to await when the connection
     * wakes: the waker sees it registered, so it takes the lock (blocking until the condition's
     * await releases it) and signals. Waking only a parked thread without the lock would leave it waiting.
     */
    @Test
    void aConditionWaiterWokenAfterItsLastCheckIsSignalledUnderTheLock() {
        var sync = new SocketSync();
        var waker = new CompletableFuture<Boolean>();
        sync.beforeWait(() -> {
            var t = new Thread(() -> waker.complete(wakeReader(sync)), "waker");
            t.start();
            Await.parked(t); // blocked on the lock this thread holds: it saw the condition's waiter
        });
        sync.lock();
        sync.lock();
        try {
            long left = sync.awaitReadable(LONG_WAIT, TYPE, sync.readTicket());

            assertFalse(waker.join(), "a condition waiter is signalled under the lock");
            assertTrue(left > 0, "waited until its time was up: the signal did not reach it");
        } finally {
            sync.unlock();
            sync.unlock();
        }
    }

    /**
     * One receiver parked by itself, a second one waiting on the condition: a wake-up takes the
     * lock (it sees the second) and wakes both.
     */
    @Test
    void aParkedReaderAndAConditionWaiterAreBothWoken() throws Exception {
        var sync = new SocketSync();
        var firstLeft = new AtomicLong();
        var first = new Thread(() -> {
            sync.lock();
            try {
                firstLeft.set(sync.awaitReadable(LONG_WAIT, TYPE, sync.readTicket()));
            } finally {
                sync.unlock();
            }
        }, "first reader");
        first.start();
        Await.parked(first);
        var waker = new CompletableFuture<Boolean>();
        sync.beforeWait(() -> {
            var t = new Thread(() -> waker.complete(wakeReader(sync)), "waker");
            t.start();
            Await.parked(t);
        });
        sync.lock();
        try {
            long left = sync.awaitReadable(LONG_WAIT, TYPE, sync.readTicket()); // the slot is taken: the condition

            assertFalse(waker.join());
            assertTrue(left > 0, "the condition waiter was not signalled");
        } finally {
            sync.unlock();
        }
        first.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(first.isAlive());
        assertTrue(firstLeft.get() > 0, "the parked reader was not unparked");
    }

    /** A poller watches: the waker takes the lock, and the watcher runs. */
    @Test
    void aWatchedSocketIsWokenUnderTheLockAndTellsItsWatchers() {
        var sync = new SocketSync();
        var told = new AtomicInteger();
        sync.addWatcher(told::incrementAndGet);

        assertFalse(onAnotherThread(() -> wakeReader(sync)));
        assertFalse(onAnotherThread(() -> wakeWriter(sync)));

        assertEquals(2, told.get());
    }

    /** Without anyone waiting, a wake-up takes no lock, even while an application thread holds it. */
    @Test
    void nobodyWaitingNoLockTakenEvenWhileItIsHeld() {
        var sync = new SocketSync();
        sync.lock();
        try {
            assertTrue(onAnotherThread(() -> wakeReader(sync)));
            assertTrue(onAnotherThread(() -> wakeWriter(sync)));
        } finally {
            sync.unlock();
        }
    }
}
