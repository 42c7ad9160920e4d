package dev.zmq.internal.transport.pgm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One source's receive window: puts TSDUs back in sequence order, finds the gaps and drives their
 * repair as an OpenPGM receiver does (RFC 3208 section 5.3): a missing sequence number waits a
 * random back-off before it is NAKed, then waits for an NCF, then for the RDATA, NAKing again when
 * either does not come, until the retries run out or the source's trail passes it; then it is lost.
 *
 * <p>The window starts at the first packet heard (a late joiner never asks for older data). Time
 * is passed in (nanoseconds), so the window is tested without clocks or sockets.
 */
public final class ReceiveWindow {

    /**
     * NAK timing, in nanoseconds, and the size of the window in sequence numbers.
     *
     * @param backoff NAK_BO_IVL: the most a NAK waits before it is sent (a random part of it)
     * @param repeat NAK_RPT_IVL: how long a NAK waits for its NCF
     * @param rdata NAK_RDATA_IVL: how long a confirmed NAK waits for the repair
     * @param ncfRetries NAK_NCF_RETRIES
     * @param dataRetries NAK_DATA_RETRIES
     * @param maxSqns the most sequence numbers held ahead of the next one to deliver
     */
    public record Timing(long backoff, long repeat, long rdata, int ncfRetries, int dataRetries, int maxSqns) {
        /** The values libzmq gives OpenPGM receivers (50 ms, 200 ms, 200 ms, 50, 50). */
        public static Timing libzmq(int maxSqns) {
            return new Timing(50_000_000L, 200_000_000L, 200_000_000L, 50, 50, maxSqns);
        }
    }

    /** What the window hands on. */
    public interface Listener {
        /** The next TSDU in sequence order. */
        void deliver(byte[] tsdu);

        /** The next sequence number cannot be had: the stream has a hole here. */
        void lost();
    }

    private enum State { BACKOFF, WAIT_NCF, WAIT_DATA, LOST }

    private static final class Repair {
        State state = State.BACKOFF;
        long deadline;
        int ncfTries;
        int dataTries;
    }

    private final Timing timing;
    private final Listener listener;
    private final RandomGenerator random;
    private boolean defined;
    /** The next sequence number to deliver. */
    private int next;
    /** The newest sequence number known to exist. */
    private int lead;
    private final Map<Integer, byte[]> held = new HashMap<>();
    /** Missing sequence numbers between {@link #next} and the lead, with their repair state. */
    private final Map<Integer, Repair> missing = new HashMap<>();
    private long lostCount;
    private long duplicates;

    public ReceiveWindow(Timing timing, Listener listener, RandomGenerator random) {
        this.timing = timing;
        this.listener = listener;
        this.random = random;
    }

    /** An ODATA or RDATA packet. */
    public void onData(int sqn, int trail, byte[] tsdu, long now) {
        if (!defined) {
            define(sqn - 1);
        }
        if (PgmPacket.before(sqn, next) || held.containsKey(sqn)) {
            duplicates++;
            applyTrail(trail);
            drain();
            return;
        }
        if (sqn - next >= timing.maxSqns()) {
            skipTo(sqn - timing.maxSqns() + 1, sqn);
        }
        extendLead(sqn - 1, now);
        if (PgmPacket.before(lead, sqn)) {
            lead = sqn;
        }
        // Even a sequence number given up on is welcome while it has not been passed yet.
        missing.remove(sqn);
        held.put(sqn, tsdu);
        applyTrail(trail);
        drain();
    }

    /** An SPM: the source's window is {@code trail..lead}. */
    public void onSpm(int spmLead, int trail, long now) {
        if (!defined) {
            define(spmLead); // as OpenPGM: data from before the first SPM is not asked for
            return;
        }
        if (spmLead - next >= timing.maxSqns()) {
            skipTo(spmLead - timing.maxSqns() + 1, spmLead + 1);
        }
        extendLead(spmLead, now);
        applyTrail(trail);
        drain();
    }

    /** An NCF: the source heard a NAK for {@code sqn}; wait for the repair. */
    public void onNcf(int sqn, long now) {
        var repair = missing.get(sqn);
        if (repair != null && repair.state != State.LOST) {
            repair.state = State.WAIT_DATA;
            repair.deadline = now + timing.rdata();
        }
    }

    /**
     * Advances the repair timers to {@code now}: returns the sequence numbers to NAK now (in
     * sequence order), and gives up on those whose retries ran out.
     */
    public List<Integer> dueNaks(long now) {
        var due = new TreeMap<Integer, Integer>();
        for (var it = missing.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            var r = e.getValue();
            if (r.state == State.LOST || r.deadline - now > 0) {
                continue;
            }
            switch (r.state) {
                case BACKOFF -> {
                    r.state = State.WAIT_NCF;
                    r.deadline = now + timing.repeat();
                    due.put(e.getKey() - next, e.getKey());
                }
                case WAIT_NCF -> {
                    if (++r.ncfTries > timing.ncfRetries()) {
                        r.state = State.LOST;
                    } else {
                        backoff(r, now);
                    }
                }
                case WAIT_DATA -> {
                    if (++r.dataTries > timing.dataRetries()) {
                        r.state = State.LOST;
                    } else {
                        backoff(r, now);
                    }
                }
                default -> {
                }
            }
        }
        drain();
        return new ArrayList<>(due.values());
    }

    /** The earliest time {@link #dueNaks} has something to do, or {@code Long.MAX_VALUE}. */
    public long nextDeadline(long now) {
        long earliest = Long.MAX_VALUE;
        for (var r : missing.values()) {
            if (r.state != State.LOST && (earliest == Long.MAX_VALUE || r.deadline - earliest < 0)) {
                earliest = r.deadline;
            }
        }
        return earliest;
    }

    public boolean defined() {
        return defined;
    }

    /** The next sequence number to deliver. */
    public int next() {
        return next;
    }

    /** Sequence numbers missing and not given up yet. */
    public int missingCount() {
        int n = 0;
        for (var r : missing.values()) {
            n += r.state == State.LOST ? 0 : 1;
        }
        return n;
    }

    /** Sequence numbers given up as lost so far. */
    public long lostCount() {
        return lostCount;
    }

    public long duplicates() {
        return duplicates;
    }

    private void define(int leadBefore) {
        defined = true;
        lead = leadBefore;
        next = leadBefore + 1;
    }

    private void backoff(Repair r, long now) {
        r.state = State.BACKOFF;
        r.deadline = now + (timing.backoff() <= 0 ? 0 : random.nextLong(timing.backoff() + 1));
    }

    /** Marks everything after the lead up to {@code newLead} as missing. */
    private void extendLead(int newLead, long now) {
        while (PgmPacket.before(lead, newLead)) {
            lead++;
            if (!held.containsKey(lead)) {
                var r = new Repair();
                backoff(r, now);
                missing.put(lead, r);
            }
        }
    }

    /** The source can no longer repair anything before {@code trail}. */
    private void applyTrail(int trail) {
        if (missing.isEmpty() || !PgmPacket.before(next, trail)) {
            return;
        }
        for (var r : missing.entrySet()) {
            if (PgmPacket.before(r.getKey(), trail)) {
                r.getValue().state = State.LOST;
            }
        }
    }

    /**
     * Gives up everything before {@code sqn} that is not held (the window cannot hold that much);
     * after a jump far beyond the window, starts over at {@code restartAt} as a late joiner would.
     */
    private void skipTo(int sqn, int restartAt) {
        if (sqn - next > timing.maxSqns()) {
            held.clear();
            missing.clear();
            listener.lost();
            lostCount++;
            next = restartAt;
            lead = restartAt - 1;
            return;
        }
        for (var it = missing.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (PgmPacket.before(e.getKey(), sqn)) {
                e.getValue().state = State.LOST;
            }
        }
        if (PgmPacket.before(lead, sqn - 1)) {
            int from = lead + 1;
            lead = sqn - 1;
            for (int s = from; PgmPacket.before(s, sqn); s++) {
                var r = new Repair();
                r.state = State.LOST;
                missing.put(s, r);
            }
        }
        drain();
    }

    private void drain() {
        while (true) {
            var tsdu = held.remove(next);
            if (tsdu != null) {
                next++;
                listener.deliver(tsdu);
                continue;
            }
            var r = missing.get(next);
            if (r != null && r.state == State.LOST) {
                missing.remove(next);
                next++;
                lostCount++;
                listener.lost();
                continue;
            }
            return;
        }
    }

    /** For tests: whether {@code sqn} is being repaired. */
    boolean isMissing(int sqn) {
        var r = missing.get(sqn);
        return r != null && r.state != State.LOST;
    }
}
