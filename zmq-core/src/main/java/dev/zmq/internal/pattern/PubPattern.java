package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.options.Options;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PUB and XPUB (RFC 29): filter on the publisher side with a prefix trie of subscribers, send each
 * message (shared, not copied) to every matching subscriber with room, and drop it for those at
 * their HWM, so a slow subscriber never blocks the others. XPUB also hands subscription messages
 * to the application, following libzmq's XPUB_VERBOSE/VERBOSER/MANUAL/NODROP/WELCOME_MSG rules.
 */
final class PubPattern implements Pattern {
    private final SocketType type;
    private final Options options;
    private final List<Pipe> pipes = new ArrayList<>();
    private final PrefixTrie<Set<Pipe>> subscribers = new PrefixTrie<>();
    /** Subscription (and upstream) messages waiting for an XPUB application, with their sender. */
    private final ArrayDeque<Upstream> upstream = new ArrayDeque<>();
    private final ArrayList<Pipe> matched = new ArrayList<>();
    private int mark;
    /** XPUB_MANUAL: the topics each subscriber asked for, reported as cancelled when it leaves (as libzmq). */
    private final PrefixTrie<Set<Pipe>> requested = new PrefixTrie<>();
    /** XPUB_MANUAL: the subscriber whose subscription message was read last. */
    private Pipe lastSubscriber;

    /** A message for the XPUB application; {@code from} is null for the report of a departed subscriber. */
    private record Upstream(Message message, Pipe from, boolean subscription) {
    }

    private final DropCounter drops;

    PubPattern(SocketType type, Options options, DropCounter drops) {
        this.type = type;
        this.options = options;
        this.drops = drops;
    }

    private boolean xpub() {
        return type == SocketType.XPUB;
    }

    @Override
    public boolean attach(Pipe pipe) {
        pipes.add(pipe);
        if (xpub()) {
            var welcome = options.get(SocketOption.XPUB_WELCOME_MSG);
            if (welcome.length > 0) {
                pipe.pushOutControl(Frames.wrap(new byte[][] {welcome}));
            }
        }
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        pipes.remove(pipe);
        if (lastSubscriber == pipe) {
            lastSubscriber = null;
        }
        // As libzmq reports a departed subscriber: the topics nobody holds any more; every topic it
        // held with XPUB_VERBOSER; with XPUB_MANUAL every topic it asked for, applied or not.
        var cancelled = removeEverywhere(subscribers, pipe, !options.flag(SocketOption.XPUB_VERBOSER));
        if (options.flag(SocketOption.XPUB_MANUAL)) {
            cancelled = removeEverywhere(requested, pipe, false);
        }
        if (xpub()) {
            for (var prefix : cancelled) {
                upstream.add(new Upstream(Frames.wrap(new byte[][] {withKind(0, prefix)}), null, true));
            }
        }
    }

    /**
     * Removes {@code pipe} from every prefix of {@code trie}, pruning prefixes left without pipes.
     * Returns the prefixes it was removed from, or only those left empty if {@code onlyEmptied}.
     */
    private static List<byte[]> removeEverywhere(PrefixTrie<Set<Pipe>> trie, Pipe pipe, boolean onlyEmptied) {
        var removed = new ArrayList<byte[]>();
        var emptied = new ArrayList<byte[]>();
        trie.forEach((prefix, set) -> {
            if (set.remove(pipe)) {
                if (set.isEmpty()) {
                    emptied.add(prefix);
                }
                if (!onlyEmptied || set.isEmpty()) {
                    removed.add(prefix);
                }
            }
        });
        for (var prefix : emptied) {
            trie.put(prefix, null);
        }
        return removed;
    }

    @Override
    public boolean readsOnArrival() {
        return true;
    }

    @Override
    public void pipeReadable(Pipe pipe) {
        Message m;
        while ((m = pipe.pollIn()) != null) {
            var first = m.first();
            if (m.size() == 1 && first.length > 0 && (first[0] == 0 || first[0] == 1)) {
                onSubscription(pipe, m, first[0] == 1, Arrays.copyOfRange(first, 1, first.length));
            } else if (xpub()) {
                upstream.add(new Upstream(m, pipe, false)); // a user message sent upstream by an XSUB
            }
        }
    }

    private void onSubscription(Pipe pipe, Message m, boolean subscribe, byte[] prefix) {
        if (!xpub()) {
            apply(subscribers, pipe, prefix, subscribe);
            return;
        }
        if (options.flag(SocketOption.XPUB_MANUAL)) {
            apply(requested, pipe, prefix, subscribe);
            upstream.add(new Upstream(m, pipe, true));
            return;
        }
        boolean changed = apply(subscribers, pipe, prefix, subscribe);
        boolean verbose = options.flag(SocketOption.XPUB_VERBOSE);
        boolean verboser = options.flag(SocketOption.XPUB_VERBOSER);
        if (changed || (subscribe && (verbose || verboser)) || (!subscribe && verboser)) {
            upstream.add(new Upstream(m, pipe, true));
        }
    }

    /**
     * Adds or removes one subscriber of a prefix. Returns what non-verbose XPUB reports, as
     * libzmq's mtrie does: an add that gave the prefix its first subscriber; a remove that left
     * it without subscribers, or that found nothing to remove.
     */
    private static boolean apply(PrefixTrie<Set<Pipe>> trie, Pipe pipe, byte[] prefix, boolean add) {
        var set = trie.get(prefix);
        if (add) {
            if (set == null) {
                set = new LinkedHashSet<>();
                trie.put(prefix, set);
            }
            boolean first = set.isEmpty();
            set.add(pipe);
            return first;
        }
        if (set == null || !set.remove(pipe)) {
            return true;
        }
        if (set.isEmpty()) {
            trie.put(prefix, null);
            return true;
        }
        return false;
    }

    @Override
    public void subscription(byte[] prefix, boolean add) {
        if (!xpub()) {
            // EINVAL as libzmq's zmq_setsockopt(ZMQ_SUBSCRIBE) on a PUB.
            throw new ZmqException(ZmqError.EINVAL, "PUB sockets do not subscribe; subscribers do");
        }
        if (!options.flag(SocketOption.XPUB_MANUAL)) {
            throw new ZmqException(ZmqError.EINVAL, "XPUB applies subscriptions itself; set XPUB_MANUAL to apply them by hand");
        }
        if (lastSubscriber != null) {
            apply(subscribers, lastSubscriber, prefix, add);
        }
    }

    @Override
    public boolean trySend(Message message) {
        var topic = message.first();
        int m = ++mark;
        matched.clear();
        subscribers.forEachPrefixOf(topic, set -> {
            for (var p : set) {
                if (p.matchMark() != m) {
                    p.setMatchMark(m);
                    matched.add(p);
                }
            }
        });
        if (options.flag(SocketOption.INVERT_MATCHING)) {
            // As libzmq's xpub.cpp: the message goes to the subscribers it does NOT match.
            matched.clear();
            for (var p : pipes) {
                if (p.matchMark() != m) {
                    matched.add(p);
                }
            }
        }
        if (xpub() && options.flag(SocketOption.XPUB_NODROP)) {
            for (var p : matched) {
                if (!p.hasRoomOut()) {
                    matched.clear();
                    return false;
                }
            }
        }
        for (int i = 0, n = matched.size(); i < n; i++) {
            var p = matched.get(i);
            if (p.hasRoomOut()) {
                p.pushOut(message);
            } else {
                drops.droppedOut(); // this subscriber is at its HWM and loses the message (RFC 29); the others don't
            }
        }
        matched.clear();
        return true;
    }

    @Override
    public boolean hasIn() {
        return xpub() && !upstream.isEmpty();
    }

    /** As libzmq: publishing never waits (except XPUB_NODROP, which reports per send). */
    @Override
    public boolean hasOut() {
        return true;
    }

    @Override
    public Message tryRecv() {
        if (!xpub()) {
            throw new ZmqException(ZmqError.ENOTSUP, "PUB sockets cannot receive; use XPUB to see subscriptions");
        }
        var next = upstream.poll();
        if (next == null) {
            return null;
        }
        if (next.subscription()) {
            // As libzmq (xpub_t::xrecv): XPUB_MANUAL's subscribe() applies to the sender of the
            // subscription the application read last, not of the last one that arrived.
            var from = next.from();
            lastSubscriber = from == null || from.isDetached() ? null : from;
        }
        return next.message();
    }

    private static byte[] withKind(int kind, byte[] prefix) {
        var b = new byte[prefix.length + 1];
        b[0] = (byte) kind;
        System.arraycopy(prefix, 0, b, 1, prefix.length);
        return b;
    }
}
