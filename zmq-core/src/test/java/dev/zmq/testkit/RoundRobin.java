package dev.zmq.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.util.ArrayList;

/** Checks that a sending socket distributes messages round robin over its peers. */
public final class RoundRobin {
    private RoundRobin() {
    }

    /**
     * One {@code senderType} socket connects to {@code peers} bound {@code sinkType} sockets and
     * sends {@code peers * perPeer} numbered messages without waiting for the connections. As in
     * libzmq, a pipe exists from connect() on, so each peer must get exactly every
     * {@code peers}-th message.
     */
    public static void check(ZmqContext ctx, SocketType senderType, SocketType sinkType, int peers, int perPeer) {
        try (var sender = ctx.socket(senderType)) {
            var sinks = new ArrayList<ZmqSocket>();
            try {
                for (int i = 0; i < peers; i++) {
                    var sink = ctx.socket(sinkType);
                    sinks.add(sink);
                    sender.connect(sink.bind("tcp://127.0.0.1:*"));
                }
                for (int n = 0; n < peers * perPeer; n++) {
                    sender.send(Message.of("m", Integer.toString(n)));
                }
                var firsts = new ArrayList<Integer>();
                for (int i = 0; i < peers; i++) {
                    var got = new ArrayList<Integer>();
                    for (int k = 0; k < perPeer; k++) {
                        got.add(Integer.parseInt(Await.recv(sinks.get(i)).frameString(1)));
                    }
                    assertNull(sinks.get(i).recv(Await.QUIET), "peer " + i + " got more than its share " + got);
                    for (int k = 1; k < perPeer; k++) {
                        assertEquals(got.get(k - 1) + peers, got.get(k),
                                "peer " + i + " did not get every " + peers + "th message: " + got);
                    }
                    firsts.add(got.get(0));
                }
                assertEquals(peers, firsts.stream().distinct().count(), "two peers started at the same message: " + firsts);
            } finally {
                sinks.forEach(ZmqSocket::close);
            }
        }
    }
}
