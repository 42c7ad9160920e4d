package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.socket.Options;
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
    /** Subscription (and upstream) messages waiting for an XPUB application. */
    private final ArrayDeque<Message> upstream = new ArrayDeque<>();
    private final ArrayList<Pipe> matched = new ArrayList<>();
    private int mark;
    /** XPUB_MANUAL: the subscriber whose subscription message was read last. */
    private Pipe lastSubscriber;

    PubPattern(SocketType type, Options options) {
        this.type = type;
        this.options = options;
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
        boolean notify = xpub() && !options.flag(SocketOption.XPUB_MANUAL);
        var emptied = new ArrayList<byte[]>();
        subscribers.forEach((prefix, set) -> {
            if (set.remove(pipe) && set.isEmpty()) {
                emptied.add(prefix);
            }
        });
        for (var prefix : emptied) {
            subscribers.put(prefix, null);
            if (notify) {
                upstream.add(Frames.wrap(new byte[][] {withKind(0, prefix)}));
            }
        }
    }

    @Override
    public void pipeReadable(Pipe pipe) {
        Message m;
        while ((m = pipe.pollIn()) != null) {
            var first = m.first();
            if (m.size() == 1 && first.length > 0 && (first[0] == 0 || first[0] == 1)) {
                onSubscription(pipe, m, first[0] == 1, Arrays.copyOfRange(first, 1, first.length));
            } else if (xpub()) {
                upstream.add(m); // a user message sent upstream by an XSUB
            }
        }
    }

    private void onSubscription(Pipe pipe, Message m, boolean subscribe, byte[] prefix) {
        if (!xpub()) {
            apply(pipe, prefix, subscribe);
            return;
        }
        if (options.flag(SocketOption.XPUB_MANUAL)) {
            lastSubscriber = pipe;
            upstream.add(m);
            return;
        }
        boolean changed = apply(pipe, prefix, subscribe);
        boolean verbose = options.flag(SocketOption.XPUB_VERBOSE);
        boolean verboser = options.flag(SocketOption.XPUB_VERBOSER);
        if (changed || (subscribe && (verbose || verboser)) || (!subscribe && verboser)) {
            upstream.add(m);
        }
    }

    /**
     * Adds or removes one subscriber of a prefix. Returns whether the prefix went from no
     * subscribers to some (add) or from some to none (remove): what non-verbose XPUB reports.
     */
    private boolean apply(Pipe pipe, byte[] prefix, boolean add) {
        var set = subscribers.get(prefix);
        if (add) {
            if (set == null) {
                set = new LinkedHashSet<>();
                subscribers.put(prefix, set);
            }
            boolean first = set.isEmpty();
            set.add(pipe);
            return first;
        }
        if (set == null || !set.remove(pipe)) {
            return false;
        }
        if (set.isEmpty()) {
            subscribers.put(prefix, null);
            return true;
        }
        return false;
    }

    @Override
    public void subscription(byte[] prefix, boolean add) {
        if (!xpub()) {
            throw new ZmqException(ZmqError.ENOTSUP, "PUB sockets do not subscribe; subscribers do");
        }
        if (!options.flag(SocketOption.XPUB_MANUAL)) {
            throw new ZmqException(ZmqError.EINVAL, "XPUB applies subscriptions itself; set XPUB_MANUAL to apply them by hand");
        }
        if (lastSubscriber != null) {
            apply(lastSubscriber, prefix, add);
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
            }
            // else: this subscriber is at its HWM and loses the message (RFC 29); the others don't.
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
        return upstream.poll();
    }

    private static byte[] withKind(int kind, byte[] prefix) {
        var b = new byte[prefix.length + 1];
        b[0] = (byte) kind;
        System.arraycopy(prefix, 0, b, 1, prefix.length);
        return b;
    }
}
