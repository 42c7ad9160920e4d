package dev.zmq.internal.pattern;

import dev.zmq.SocketOption;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.options.Options;

/**
 * PROBE_ROUTER, as libzmq's dealer.cpp and router.cpp: an empty message to every newly attached
 * peer, so a ROUTER on the other side learns our routing id before we send anything.
 */
final class Probe {
    private Probe() {
    }

    static void sendIfAsked(Pipe pipe, Options options) {
        if (options.flag(SocketOption.PROBE_ROUTER)) {
            pipe.pushOutControl(Frames.wrap(new byte[][] {new byte[0]}));
        }
    }
}
