package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * SUB and XSUB (RFC 29): fair-queue from publishers, keep counted subscriptions, send them to every
 * publisher (again after each reconnection). SUB drops anything that matches none of them; XSUB,
 * as libzmq's xsub.cpp, delivers everything that arrives (a proxy's XSUB must pass on an
 * XPUB_WELCOME_MSG, and messages already under way when it unsubscribes). XSUB also lets the
 * application send subscription messages ({@code 0x01}/{@code 0x00} + prefix) and other messages
 * upstream.
 */
final class SubPattern implements Pattern {
    private final SocketType type;
    private final FairQueue fq = new FairQueue();
    private final List<Pipe> pipes = new ArrayList<>();
    /** Prefix to subscription count. */
    private final PrefixTrie<int[]> subscriptions = new PrefixTrie<>();

    private final DropCounter drops;
    /** {@link #wanted}, made once (a bound method reference allocates per evaluation). */
    private final Predicate<Message> filter = this::wanted;

    private final dev.zmq.internal.options.Options options;

    SubPattern(SocketType type, dev.zmq.internal.options.Options options, DropCounter drops) {
        this.type = type;
        this.options = options;
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        fq.add(pipe);
        pipes.add(pipe);
        if (pipe.isConnected()) {
            sendAll(pipe);
        }
        return true;
    }

    @Override
    public boolean identified(Pipe pipe) {
        // A new connection on a pipe that outlived the old one: the publisher knows nothing yet.
        sendAll(pipe);
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        fq.remove(pipe);
        pipes.remove(pipe);
    }

    @Override
    public void subscription(byte[] prefix, boolean add) {
        if (add) {
            subscribe(prefix, Frames.wrap(new byte[][] {command(1, prefix)}));
        } else {
            unsubscribe(prefix, Frames.wrap(new byte[][] {command(0, prefix)}));
        }
    }

    @Override
    public boolean trySend(Message message) {
        if (type == SocketType.SUB) {
            throw new ZmqException(ZmqError.ENOTSUP, "SUB sockets cannot send; use subscribe()/unsubscribe(), or an XSUB socket");
        }
        var first = message.first();
        if (message.size() == 1 && first.length > 0 && (first[0] == 1 || first[0] == 0)) {
            var prefix = java.util.Arrays.copyOfRange(first, 1, first.length);
            if (first[0] == 1) {
                subscribe(prefix, message);
            } else {
                unsubscribe(prefix, message);
            }
            return true;
        }
        // Any other XSUB message goes upstream to every publisher, as libzmq does.
        for (var p : pipes) {
            if (p.hasRoomOut()) {
                p.pushOut(message);
            } else {
                drops.droppedOut();
            }
        }
        return true;
    }

    private void subscribe(byte[] prefix, Message wire) {
        var count = subscriptions.get(prefix);
        if (count == null) {
            subscriptions.put(prefix, new int[] {1});
        } else {
            count[0]++;
        }
        // Every subscribe goes upstream (as libzmq: XPUB de-duplicates, and forwarding devices
        // need each one for XPUB_VERBOSE).
        broadcast(wire);
    }

    private void unsubscribe(byte[] prefix, Message wire) {
        var count = subscriptions.get(prefix);
        if (count == null) {
            return;
        }
        if (--count[0] == 0) {
            subscriptions.put(prefix, null);
            broadcast(wire);
        }
    }

    private void broadcast(Message wire) {
        for (var p : pipes) {
            if (p.isConnected()) {
                p.pushOutControl(wire);
            }
        }
    }

    private void sendAll(Pipe pipe) {
        subscriptions.forEach((prefix, count) -> pipe.pushOutControl(Frames.wrap(new byte[][] {command(1, prefix)})));
    }

    /**
     * SUB filters by its subscriptions (with INVERT_MATCHING, keeps what matches none of them);
     * XSUB does not filter (libzmq's options.filter is set for SUB only).
     */
    private boolean wanted(Message m) {
        return type == SocketType.XSUB
                || subscriptions.hasPrefixOf(m.first()) != options.flag(dev.zmq.SocketOption.INVERT_MATCHING);
    }

    @Override
    public boolean hasIn() {
        return type == SocketType.XSUB ? fq.hasIn() : fq.hasIn(filter, drops);
    }

    @Override
    public boolean hasOut() {
        return type == SocketType.XSUB;
    }

    @Override
    public Message tryRecv() {
        return type == SocketType.XSUB ? fq.poll() : fq.poll(filter, drops);
    }

    private static byte[] command(int kind, byte[] prefix) {
        var b = new byte[prefix.length + 1];
        b[0] = (byte) kind;
        System.arraycopy(prefix, 0, b, 1, prefix.length);
        return b;
    }
}
