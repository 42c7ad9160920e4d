package dev.zmq.internal.pattern;

import dev.zmq.SocketType;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.options.Options;

/** Creates the pattern for a socket type. */
public final class Patterns {
    private Patterns() {
    }

    /**
     * The socket types a pattern option applies to (libzmq refuses it elsewhere with EINVAL), or
     * null for options every socket takes.
     */
    public static java.util.Set<SocketType> optionOwner(dev.zmq.SocketOption<?> option) {
        var name = option.name();
        if (name.equals("CONNECT_ROUTING_ID")) {
            // libzmq's REP is a ROUTER underneath; STREAM takes it as ROUTER does (stream.cpp).
            return java.util.EnumSet.of(SocketType.ROUTER, SocketType.REP, SocketType.STREAM);
        }
        if (name.equals("STREAM_NOTIFY")) {
            return java.util.EnumSet.of(SocketType.STREAM);
        }
        if (name.startsWith("ROUTER_")) {
            return java.util.EnumSet.of(SocketType.ROUTER, SocketType.REP); // libzmq's REP is a ROUTER underneath
        }
        if (name.equals("PROBE_ROUTER")) {
            return java.util.EnumSet.of(SocketType.ROUTER, SocketType.REP, SocketType.DEALER, SocketType.REQ);
        }
        if (name.startsWith("REQ_")) {
            return java.util.EnumSet.of(SocketType.REQ);
        }
        if (name.equals("XPUB_NODROP")) {
            return java.util.EnumSet.of(SocketType.XPUB, SocketType.PUB, SocketType.RADIO); // radio.cpp takes it too
        }
        if (name.startsWith("XPUB_")) {
            return java.util.EnumSet.of(SocketType.XPUB, SocketType.PUB); // libzmq's PUB is an XPUB underneath
        }
        return null;
    }

    /** The pattern of {@code type}; it counts the messages it drops silently in {@code drops}. */
    public static Pattern create(SocketType type, Options options, DropCounter drops) {
        return switch (type) {
            case PAIR, CHANNEL -> new PairPattern(type, drops);
            case REQ -> new ReqPattern(options, drops);
            case REP -> new RepPattern(options, drops);
            case DEALER -> new DealerPattern(options);
            case ROUTER -> new RouterPattern(options, drops);
            case PULL -> new PullPattern();
            case GATHER -> new GatherPattern(drops);
            case PUSH, SCATTER -> new PushPattern(type);
            case PUB, XPUB -> new PubPattern(type, options, drops);
            case SUB, XSUB -> new SubPattern(type, options, drops);
            case STREAM -> new StreamPattern(options);
            case CLIENT -> new ClientPattern(drops);
            case SERVER, PEER -> new ServerPattern(type, drops);
            case RADIO -> new RadioPattern(options, drops);
            case DISH -> new DishPattern(drops);
            case DGRAM -> new DgramPattern();
        };
    }
}
