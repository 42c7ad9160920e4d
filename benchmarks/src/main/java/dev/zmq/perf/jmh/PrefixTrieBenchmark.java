package dev.zmq.perf.jmh;

import dev.zmq.internal.pattern.PrefixTrieProbe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * zmq-core's subscription trie ({@code internal/pattern/PrefixTrie}) alone, on one thread, with
 * {@code subscriptions} weather-style prefixes ({@code "%05d "}, as the Guide's weather client
 * subscribes) already in it: a subscribe and unsubscribe of one more prefix (the trie returns to
 * its state, so every call does the same work), and matching a 20-byte update that a subscription
 * starts ("hit") or none does ("miss"), both as a SUB filters ({@code hasPrefixOf}) and as a PUB
 * distributes ({@code forEachPrefixOf}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PrefixTrieBenchmark {
    @Param({"1", "1000"})
    int subscriptions;

    private PrefixTrieProbe trie;
    private byte[] extra;
    private byte[] hit;
    private byte[] miss;

    @Setup
    public void setUp() {
        trie = new PrefixTrieProbe();
        // Zipcodes spread over 10000-99999, so the nodes near the root are dense and the deeper ones sparse.
        for (int i = 0; i < subscriptions; i++) {
            trie.subscribe(topic(10000 + (int) ((long) i * 89_989 / Math.max(1, subscriptions))));
        }
        extra = topic(99_998);
        hit = update(10000);
        miss = update(99_999);
    }

    private static byte[] topic(int zipcode) {
        return String.format("%05d ", zipcode).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] update(int zipcode) {
        return String.format("%05d %d %d", zipcode, -12, 42).concat("      ").getBytes(StandardCharsets.US_ASCII);
    }

    /** A SUBSCRIBE then an UNSUBSCRIBE of a prefix not there before: node creation and pruning. */
    @Benchmark
    public boolean subscribeUnsubscribe() {
        trie.subscribe(extra);
        trie.unsubscribe(extra);
        return trie.matches(extra);
    }

    /** SUB filter, a message some subscription starts. */
    @Benchmark
    public boolean matchHit() {
        return trie.matches(hit);
    }

    /** SUB filter, a message no subscription starts. */
    @Benchmark
    public boolean matchMiss() {
        return trie.matches(miss);
    }

    /** PUB distribution, a message some subscription starts: every matching prefix visited. */
    @Benchmark
    public int matchAllHit() {
        return trie.matchAll(hit);
    }
}
