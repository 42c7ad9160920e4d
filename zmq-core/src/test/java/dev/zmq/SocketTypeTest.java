package dev.zmq;

import static dev.zmq.SocketType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocketTypeTest {
    /** Each type's ZMTP peers, as libzmq 4.3 allows them (its draft types included); STREAM and DGRAM have none. */
    private static final Map<SocketType, Set<SocketType>> PEERS = Map.ofEntries(
            Map.entry(PAIR, EnumSet.of(PAIR)),
            Map.entry(REQ, EnumSet.of(REP, ROUTER)),
            Map.entry(REP, EnumSet.of(REQ, DEALER)),
            Map.entry(DEALER, EnumSet.of(REP, DEALER, ROUTER)),
            Map.entry(ROUTER, EnumSet.of(REQ, DEALER, ROUTER)),
            Map.entry(PULL, EnumSet.of(PUSH)),
            Map.entry(PUSH, EnumSet.of(PULL)),
            Map.entry(PUB, EnumSet.of(SUB, XSUB)),
            Map.entry(XPUB, EnumSet.of(SUB, XSUB)),
            Map.entry(SUB, EnumSet.of(PUB, XPUB)),
            Map.entry(XSUB, EnumSet.of(PUB, XPUB)),
            Map.entry(STREAM, EnumSet.noneOf(SocketType.class)),
            Map.entry(CLIENT, EnumSet.of(SERVER)),
            Map.entry(SERVER, EnumSet.of(CLIENT)),
            Map.entry(RADIO, EnumSet.of(DISH)),
            Map.entry(DISH, EnumSet.of(RADIO)),
            Map.entry(SCATTER, EnumSet.of(GATHER)),
            Map.entry(GATHER, EnumSet.of(SCATTER)),
            Map.entry(PEER, EnumSet.of(PEER)),
            Map.entry(CHANNEL, EnumSet.of(CHANNEL)),
            Map.entry(DGRAM, EnumSet.noneOf(SocketType.class)));

    @Test
    void everyTypeIsCompatibleWithExactlyItsPeers() {
        assertEquals(EnumSet.allOf(SocketType.class), EnumSet.copyOf(PEERS.keySet()), "the table names every type");
        for (var type : values()) {
            for (var peer : values()) {
                assertEquals(PEERS.get(type).contains(peer), type.isCompatibleWith(peer), type + " with " + peer);
            }
        }
    }

    @Test
    void theDraftThreadSafeTypesAreTheSingleFrameOnes() {
        var singleFrame = EnumSet.of(CLIENT, SERVER, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL);
        for (var type : values()) {
            assertEquals(singleFrame.contains(type), type.isSingleFrame(), type.name());
        }
    }
}
