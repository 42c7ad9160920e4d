package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.Set;

/**
 * DISH (RFC 48, libzmq's dish.cpp): joins and leaves groups, sending each to every RADIO (again to a
 * reconnected one) as a one-frame {@code 0x01}+group or {@code 0x00}+group message, which the
 * engine puts on the wire as ZMTP JOIN and LEAVE commands. Receives the RADIOs' [group, body]
 * messages fair-queued and delivers the body with its {@link Message#group()}, for the groups it
 * joined only (libzmq filters on the receiving side too). Cannot send.
 *
 * <p>A datagram endpoint (udp) gets no joins or leaves: nothing goes back to a RADIO over udp, and
 * this filter is the only one (libzmq's udp engine drops them).
 */
final class DishPattern implements Pattern {
    private final FairQueue fq = new FairQueue();
    private final List<Pipe> pipes = new ArrayList<>();
    private final Set<String> joined = new LinkedHashSet<>();
    private final DropCounter drops;
    /** {@link #wanted}, made once (a bound method reference allocates per evaluation). */
    private final Predicate<Message> filter = this::wanted;

    DishPattern(DropCounter drops) {
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        fq.add(pipe);
        if (pipe.endpoint().datagramLimit() > 0) {
            return true;
        }
        pipes.add(pipe);
        if (pipe.isConnected()) {
            sendAll(pipe);
        }
        return true;
    }

    @Override
    public boolean identified(Pipe pipe) {
        if (pipes.contains(pipe)) {
            sendAll(pipe); // a new connection: the RADIO knows nothing yet (libzmq: hiccup)
        }
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        fq.remove(pipe);
        pipes.remove(pipe);
    }

    @Override
    public void group(String group, boolean join) {
        Message.checkGroup(group);
        if (join ? !joined.add(group) : !joined.remove(group)) {
            // As libzmq's dish.cpp: EINVAL for joining a group twice or leaving one not joined.
            throw new ZmqException(ZmqError.EINVAL, join ? "this DISH already joined group '" + group + "'"
                    : "this DISH has not joined group '" + group + "'");
        }
        var command = command(join, group);
        for (var p : pipes) {
            if (p.isConnected()) {
                p.pushOutControl(command);
            }
        }
    }

    private void sendAll(Pipe pipe) {
        for (var group : joined) {
            pipe.pushOutControl(command(true, group));
        }
    }

    private static Message command(boolean join, String group) {
        var name = group.getBytes(StandardCharsets.UTF_8);
        var b = new byte[name.length + 1];
        b[0] = (byte) (join ? 1 : 0);
        System.arraycopy(name, 0, b, 1, name.length);
        return Frames.wrap(new byte[][] {b});
    }

    @Override
    public boolean trySend(Message message) {
        throw new ZmqException(ZmqError.ENOTSUP, "DISH sockets cannot send; use join()/leave(), and a RADIO socket to send");
    }

    @Override
    public Message tryRecv() {
        var m = fq.poll(filter, drops);
        return m == null ? null : m.dropFirst(1).withGroup(new String(m.first(), StandardCharsets.UTF_8));
    }

    @Override
    public boolean hasIn() {
        return fq.hasIn(filter, drops);
    }

    /** A [group, body] message of a joined group; anything else is discarded (counted) by the fair queue. */
    private boolean wanted(Message m) {
        return m.size() == 2 && m.first().length <= Message.MAX_GROUP_LENGTH
                && joined.contains(new String(m.first(), StandardCharsets.UTF_8));
    }

    @Override
    public boolean hasOut() {
        return false;
    }
}
