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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RADIO (RFC 48, libzmq's radio.cpp): sends each single-frame message to the DISHes that joined its
 * group, matched exactly (not by prefix). A DISH's joins and leaves arrive on its pipe as one-frame
 * messages, {@code 0x01}+group and {@code 0x00}+group (the engine turns the ZMTP JOIN and LEAVE
 * commands into them; an inproc DISH sends them as they are), and are counted per peer as libzmq's
 * multimap does. A message goes to a peer as two frames, [group, body], which is libzmq's wire
 * format. A peer without room misses the message (counted), unless XPUB_NODROP makes the send wait.
 *
 * <p>A datagram endpoint (udp) gets every message whatever its group, as libzmq's radio.cpp treats
 * its udp pipes: no JOIN comes back over udp, the DISHes filter. A message too big for one of its
 * datagrams is refused with EMSGSIZE before it goes anywhere.
 */
final class RadioPattern implements Pattern {
    private final Options options;
    private final DropCounter drops;
    private final List<Pipe> pipes = new ArrayList<>();
    /** Datagram endpoints, which take every group. */
    private final List<Pipe> datagramPipes = new ArrayList<>();
    /** Group to the peers that joined it, with how many times each did. */
    private final Map<String, Map<Pipe, int[]>> groups = new HashMap<>();

    RadioPattern(Options options, DropCounter drops) {
        this.options = options;
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        pipes.add(pipe);
        if (pipe.endpoint().datagramLimit() > 0) {
            datagramPipes.add(pipe);
        } else {
            pipeReadable(pipe); // joins that came before the pipe was attached
        }
        return true;
    }

    @Override
    public boolean readsOnArrival() {
        return true;
    }

    @Override
    public void pipeReadable(Pipe pipe) {
        Message m;
        while ((m = pipe.pollIn()) != null) {
            var f = m.first();
            if (m.size() != 1 || f.length == 0 || (f[0] != 0 && f[0] != 1)) {
                drops.discardedIn(1); // not a join or leave: libzmq's radio reads and drops it
                continue;
            }
            var group = new String(f, 1, f.length - 1, StandardCharsets.UTF_8);
            if (f[0] == 1) {
                groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(pipe, p -> new int[1])[0]++;
            } else {
                var members = groups.get(group);
                var count = members == null ? null : members.get(pipe);
                if (count != null && --count[0] == 0) {
                    members.remove(pipe);
                    if (members.isEmpty()) {
                        groups.remove(group);
                    }
                }
            }
        }
    }

    @Override
    public void peerGone(Pipe pipe) {
        forget(pipe);
        datagramPipes.remove(pipe);
    }

    @Override
    public void detach(Pipe pipe) {
        pipes.remove(pipe);
        datagramPipes.remove(pipe);
        forget(pipe);
    }

    private void forget(Pipe pipe) {
        groups.values().removeIf(members -> members.remove(pipe) != null && members.isEmpty());
    }

    @Override
    public boolean trySend(Message message) {
        SingleFrame.checkSend(SocketType.RADIO, message);
        var group = message.group().getBytes(StandardCharsets.UTF_8);
        for (var p : datagramPipes) {
            int limit = p.endpoint().datagramLimit();
            int size = 1 + group.length + message.first().length;
            if (size > limit) {
                throw new ZmqException(ZmqError.EMSGSIZE, "a RADIO message over udp is one datagram of at most " + limit
                        + " bytes (libzmq's limit: 1 length byte, the group, the body); this one takes " + size + " bytes (group "
                        + group.length + ", body " + message.first().length + "): send a smaller body or use tcp");
            }
        }
        var members = groups.get(message.group());
        if (members == null && datagramPipes.isEmpty()) {
            return true; // nobody joined: the message goes nowhere, as with PUB
        }
        var targets = members == null ? datagramPipes : targets(members, datagramPipes);
        if (options.flag(SocketOption.XPUB_NODROP)) {
            for (var p : targets) {
                if (!p.hasRoomOut()) {
                    return false; // libzmq: EAGAIN unless every matching peer has room
                }
            }
        }
        var wire = Frames.wrap(new byte[][] {group, message.first()});
        for (var p : targets) {
            if (p.hasRoomOut()) {
                p.pushOut(wire);
            } else {
                drops.droppedOut();
            }
        }
        return true;
    }

    private static java.util.Collection<Pipe> targets(Map<Pipe, int[]> members, List<Pipe> datagramPipes) {
        if (datagramPipes.isEmpty()) {
            return members.keySet();
        }
        var all = new ArrayList<Pipe>(members.keySet());
        all.addAll(datagramPipes);
        return all;
    }

    @Override
    public Message tryRecv() {
        throw new ZmqException(ZmqError.ENOTSUP, "RADIO sockets cannot receive; use a DISH socket to receive");
    }

    @Override
    public boolean hasIn() {
        return false;
    }

    /** As libzmq's dist_t: always writable. */
    @Override
    public boolean hasOut() {
        return true;
    }
}
