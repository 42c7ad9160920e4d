package dev.zmq.transport.epgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.LineProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentest4j.AssertionFailedError;
import org.junit.jupiter.api.Test;

/**
 * epgm between our sockets and Debian's libzmq 4.3.4 (OpenPGM), in both directions, inside a
 * network namespace each test creates: plain exchange, 5% packet loss repaired through
 * NAK/NCF/RDATA, late joiners, XPUB/XSUB, and ten subscribers. Every process runs inside the
 * namespace; this JVM only drives them.
 */
class EpgmInteropTest {
    static final String ENDPOINT = "epgm://127.0.0.1;239.192.7.7:5555";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RESULT = Duration.ofSeconds(90);
    private static final String RATE = "10000";
    private static final Pattern RESULT_LINE = Pattern.compile(
            "RESULT (\\d+) first=(\\S+) count=(\\d+) ordered=(\\w+) corrupt=(\\d+) leaked=(\\d+)( rate=\\d+)?");

    /** What one subscriber reported. */
    record Result(int sub, Integer first, int count, boolean ordered, int corrupt, int leaked, String line) {
        static Result parse(String line) {
            var m = RESULT_LINE.matcher(line);
            assertTrue(m.find(), line);
            return new Result(Integer.parseInt(m.group(1)), m.group(2).equals("None") || m.group(2).equals("null") ? null
                    : Integer.valueOf(m.group(2)), Integer.parseInt(m.group(3)), Boolean.parseBoolean(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), line);
        }

        void assertComplete(int expected) {
            assertEquals(Integer.valueOf(0), first, "got everything from the first message: " + line);
            assertEquals(expected, count, line);
            assertTrue(ordered, line);
            assertEquals(0, corrupt, line);
            assertEquals(0, leaked, "the subscriber filters what it did not subscribe to: " + line);
        }

        /**
         * An XSUB, as libzmq's (xsub.cpp filters nothing; only SUB filters, issue 17): what it
         * subscribed to arrives complete, and what it did not subscribe to arrives too.
         */
        void assertCompleteUnfiltered(int expected) {
            assertEquals(Integer.valueOf(0), first, "got everything from the first message: " + line);
            assertEquals(expected, count, line);
            assertTrue(ordered, line);
            assertEquals(0, corrupt, line);
            assertTrue(leaked > 0, "an XSUB delivers what it did not subscribe to as well, as libzmq's: " + line);
        }
    }

    private static LineProcess start(Netns ns, String impl, String... args) {
        var peer = impl.equals("ours") ? ns.ours(args) : ns.libzmq(args);
        peer.awaitLineContaining("READY", START);
        return peer;
    }

    /** What an exchange left: the subscribers' results and the peers, whose output tests may read further. */
    record Exchange(List<Result> results, LineProcess pub, List<LineProcess> subs) {
        /** The counters an {@link EpgmPeer} printed as "MULTICAST [k] MulticastStatistics[...]", by name. */
        static java.util.Map<String, Long> multicast(LineProcess peer, String prefix) {
            var line = peer.awaitLineContaining(prefix, START);
            var m = Pattern.compile("(\\w+)=(\\d+)").matcher(line.substring(line.indexOf('[')));
            var out = new java.util.HashMap<String, Long>();
            while (m.find()) {
                out.put(m.group(1), Long.parseLong(m.group(2)));
            }
            return out;
        }
    }

    /** Subscribers first, then the publisher; "go" once every subscriber heard it; returns the results. */
    private static List<Result> exchange(Netns ns, String pubImpl, String pubRole, List<Subscribers> subscribers, int count, int size) {
        return exchangeWithPeers(ns, pubImpl, pubRole, subscribers, count, size).results();
    }

    private static Exchange exchangeWithPeers(Netns ns, String pubImpl, String pubRole, List<Subscribers> subscribers, int count, int size) {
        return exchangeWithPeers(ns, ENDPOINT, ENDPOINT, pubImpl, pubRole, subscribers, count, size);
    }

    private static Exchange exchangeWithPeers(Netns ns, String pubEndpoint, String subEndpoint, String pubImpl, String pubRole,
            List<Subscribers> subscribers, int count, int size) {
        var subs = new ArrayList<LineProcess>();
        for (var s : subscribers) {
            subs.add(start(ns, s.impl(), s.role(), subEndpoint, Integer.toString(s.count()), RATE));
        }
        var pub = start(ns, pubImpl, pubRole, pubEndpoint, Integer.toString(count), Integer.toString(size), RATE);
        for (int i = 0; i < subs.size(); i++) {
            subs.get(i).await(l -> l.contains("JOINED"), subscribers.get(i).count(), START);
        }
        pub.send("go");
        var results = new ArrayList<Result>();
        try {
            for (int i = 0; i < subs.size(); i++) {
                subs.get(i).await(l -> l.contains("RESULT"), subscribers.get(i).count(), RESULT).forEach(l -> results.add(Result.parse(l)));
            }
        } catch (AssertionFailedError e) {
            throw withPublisherSide(e, pub);
        }
        pub.send("stop");
        assertEquals(0, pub.awaitExit(START), "the publisher closes cleanly");
        for (var s : subs) {
            assertEquals(0, s.awaitExit(START));
        }
        return new Exchange(results, pub, subs);
    }

    record Subscribers(String impl, String role, int count) {
    }

    /**
     * A subscriber that stalled: the failure gets what the publisher saw (its progress, and for ours
     * its counters of SPMs, NAKs and repairs, printed when it stops), so a stall that happens now and
     * then shows which side stopped.
     */
    private static AssertionFailedError withPublisherSide(AssertionFailedError e, LineProcess pub) {
        try {
            pub.send("stop");
            pub.awaitExit(START);
        } catch (AssertionFailedError | RuntimeException ignored) {
            // the publisher's output below says how far it got
        }
        var failure = new AssertionFailedError(e.getMessage() + "; publisher " + pub.describe(), e);
        failure.setStackTrace(e.getStackTrace());
        return failure;
    }

    @ParameterizedTest(name = "{0} PUB -> {1} SUB")
    @CsvSource({"libzmq, ours", "ours, libzmq", "ours, ours"})
    void publishesAcrossImplementations(String pubImpl, String subImpl) {
        try (var ns = Netns.create()) {
            var results = exchange(ns, pubImpl, "pub", List.of(new Subscribers(subImpl, "sub", 2)), 1000, 300);
            assertEquals(2, results.size());
            results.forEach(r -> r.assertComplete(1000));
        }
    }

    @ParameterizedTest(name = "{0} PUB -> {1} SUB, 5% of UDP dropped")
    @CsvSource({"libzmq, ours", "ours, libzmq", "ours, ours"})
    void repairsFivePercentLossThroughNaks(String pubImpl, String subImpl) {
        try (var ns = Netns.create()) {
            ns.dropUdp(0.05);
            var exchange = exchangeWithPeers(ns, pubImpl, "pub", List.of(new Subscribers(subImpl, "sub", 2)), 1000, 1000);
            exchange.results().forEach(r -> r.assertComplete(1000));
            // The repairs show in the sockets' statistics (SocketStatistics.multicast()).
            if (pubImpl.equals("ours")) {
                var pub = Exchange.multicast(exchange.pub(), "MULTICAST");
                assertTrue(pub.get("dataPacketsSent") >= 700, "1000 messages of 1000 bytes: " + pub);
                assertTrue(pub.get("naksReceived") > 0 && pub.get("repairsSent") > 0, "5% lost and repaired: " + pub);
                assertEquals(0, pub.get("unrepairable"), pub.toString());
            }
            if (subImpl.equals("ours")) {
                for (int k = 0; k < 2; k++) {
                    var sub = Exchange.multicast(exchange.subs().get(0), "MULTICAST " + k);
                    assertTrue(sub.get("naksSent") > 0 && sub.get("repairsReceived") > 0, "5% lost and repaired: " + sub);
                    assertEquals(0, sub.get("packetsLost"), sub.toString());
                }
            }
        }
    }

    /**
     * A receiver learns where to send NAKs from SPMs only. OpenPGM's receiver declares a loss
     * unrecoverable when it has to NAK before it knows, then reports a reset (messages missing, one
     * merged into another) or stops delivering for good; this made the case above fail now and
     * then, whenever the source's only SPM before data was among the 5% lost. Sources announce
     * themselves with three SPMs, as OpenPGM's do: losing the first one costs nothing.
     *
     * <p>The other two are kept out of the random 5% ({@link Netns#dropFirstSpm}). With all three
     * lost (1 run in 400 if they were not), a receiver depends on its SPM request (sent 25 ms after
     * it first hears the source) being answered before its first NAK comes due, 0-50 ms after a
     * loss; OpenPGM's receiver loses that race now and then whoever the source is: with every
     * announcing SPM dropped and 5% of UDP, libzmq's own PUB left its two libzmq SUBs short or
     * stalled in 10 of 30 runs, ours in 10 of 30 (23 of 30 before it answered SPMRs in 2-12 ms).
     */
    @ParameterizedTest(name = "{0} PUB -> {1} SUB, first SPM and 5% of UDP dropped")
    @CsvSource({"ours, libzmq", "ours, ours"})
    void repairsLossWhenTheFirstSpmIsLost(String pubImpl, String subImpl) {
        try (var ns = Netns.create()) {
            ns.dropUdp(0.05);
            ns.dropFirstSpm();
            var results = exchange(ns, pubImpl, "pub", List.of(new Subscribers(subImpl, "sub", 2)), 1000, 1000);
            assertEquals(2, results.size());
            results.forEach(r -> r.assertComplete(1000));
        }
    }

    /**
     * IPv6, as libzmq takes it (epgm://[address];[group]:port), between the two ends of a veth pair
     * (OpenPGM delivers nothing over IPv6 on the loopback), with 5% of the UDP dropped: OpenPGM's
     * pgm_spm6 and pgm_nak6 layouts both ways.
     */
    @ParameterizedTest(name = "{0} PUB -> {1} SUB over IPv6, 5% of UDP dropped")
    @CsvSource({"ours, libzmq", "libzmq, ours"})
    void repairsLossOverIpv6(String pubImpl, String subImpl) {
        try (var ns = Netns.create()) {
            ns.addIpv6Link();
            ns.dropUdp6(0.05);
            var exchange = exchangeWithPeers(ns, "epgm://[" + Netns.IPV6_PUB + "];[ff08::1]:5555", "epgm://[" + Netns.IPV6_SUB
                    + "];[ff08::1]:5555", pubImpl, "pub", List.of(new Subscribers(subImpl, "sub", 2)), 1000, 1000);
            assertEquals(2, exchange.results().size());
            exchange.results().forEach(r -> r.assertComplete(1000));
            var ours = pubImpl.equals("ours") ? Exchange.multicast(exchange.pub(), "MULTICAST")
                    : Exchange.multicast(exchange.subs().get(0), "MULTICAST 0");
            assertTrue(ours.get(pubImpl.equals("ours") ? "repairsSent" : "repairsReceived") > 0, "5% lost and repaired: " + ours);
        }
    }

    @Test
    void xpubAndXsubSpeakEpgmToo() {
        try (var ns = Netns.create()) {
            exchange(ns, "ours", "xpub", List.of(new Subscribers("libzmq", "sub", 1)), 300, 100).forEach(r -> r.assertComplete(300));
            exchange(ns, "libzmq", "pub", List.of(new Subscribers("ours", "xsub", 1)), 300, 100).forEach(r -> r.assertCompleteUnfiltered(300));
        }
    }

    @Test
    void junkOnTheGroupIsDroppedAndAForgedSourceIsFiltered() {
        try (var ns = Netns.create()) {
            var noise = ns.noise("239.192.7.7", 5555);
            noise.awaitLineContaining("READY", START);
            // Random datagrams, bad checksums, truncated packets, and a forged source publishing "zzz":
            // our subscribers still get every message, and none of the forged ones. libzmq is left
            // out: with Debian's libzmq 4.3.4 this junk aborts both its subscriber (OpenPGM's
            // "rxw.c: line 318 (pgm_rxw_add): assertion failed") and its publisher
            // ("Assertion failed: dummy_bytes == 0 ... (src/pgm_socket.cpp:654)").
            var results = exchange(ns, "ours", "pub", List.of(new Subscribers("ours", "sub", 2)), 1000, 300);
            results.forEach(r -> r.assertComplete(1000));
        }
    }

    @Test
    void tenSubscribersOnOneGroup() {
        try (var ns = Netns.create()) {
            var results = exchange(ns, "ours", "pub", List.of(new Subscribers("ours", "sub", 5), new Subscribers("libzmq", "sub", 5)),
                    1000, 500);
            assertEquals(10, results.size());
            results.forEach(r -> r.assertComplete(1000));
        }
    }

    @ParameterizedTest(name = "{0} PUB, late {1} SUB")
    @CsvSource({"ours, libzmq", "ours, ours", "libzmq, ours"})
    void lateJoinersStartAtAMessageBoundary(String pubImpl, String subImpl) {
        try (var ns = Netns.create()) {
            // Messages of 3000 bytes span three packets: a joiner must skip to the next whole message.
            var pub = start(ns, pubImpl, "pub", ENDPOINT, "1000000", "3000", "20000", "500");
            pub.send("go");
            pub.awaitLineContaining("PROGRESS 500", START);
            var sub = start(ns, subImpl, "sub", ENDPOINT, "1", "20000");
            sub.awaitLineContaining("JOINED", START);
            pub.send("end");
            var result = Result.parse(sub.awaitLineContaining("RESULT", RESULT));
            pub.send("stop");
            assertTrue(result.first() != null && result.first() > 0, "joined mid-stream: " + result.line());
            assertTrue(result.count() > 0, result.line());
            assertTrue(result.ordered(), result.line());
            assertEquals(0, result.corrupt(), "every message whole: " + result.line());
            assertEquals(0, pub.awaitExit(START));
            assertEquals(0, sub.awaitExit(START));
        }
    }
}
