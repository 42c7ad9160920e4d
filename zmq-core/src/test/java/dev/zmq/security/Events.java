package dev.zmq.security;

import dev.zmq.SocketEvent;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A socket's monitor events, collected for assertions. */
final class Events {
    final List<SocketEvent> all = new CopyOnWriteArrayList<>();

    static Events of(ZmqSocket socket) {
        var e = new Events();
        socket.monitor(EnumSet.allOf(SocketEvent.Type.class), e.all::add);
        return e;
    }

    /** Waits for an event of {@code type} and returns the first one. */
    SocketEvent await(SocketEvent.Type type) {
        Await.until(type + " event (seen: " + all + ")", () -> first(type) != null);
        return first(type);
    }

    SocketEvent first(SocketEvent.Type type) {
        return all.stream().filter(e -> e.type() == type).findFirst().orElse(null);
    }

    long count(SocketEvent.Type type) {
        return all.stream().filter(e -> e.type() == type).count();
    }
}
