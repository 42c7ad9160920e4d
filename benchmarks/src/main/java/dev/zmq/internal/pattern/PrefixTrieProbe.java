package dev.zmq.internal.pattern;

/**
 * The benchmarks' handle on zmq-core's package-private {@link PrefixTrie}: this class lives in the
 * trie's package (in the benchmarks jar, on the class path beside zmq-core's), so the trie stays
 * package-private in zmq-core and {@code dev.zmq.perf.jmh.PrefixTrieBenchmark} measures the real
 * class, with SubPattern's and PubPattern's calls.
 */
public final class PrefixTrieProbe {
    private final PrefixTrie<int[]> trie = new PrefixTrie<>();

    /** SUBSCRIBE on a SUB socket: a new prefix with a count of one. */
    public void subscribe(byte[] prefix) {
        var count = trie.get(prefix);
        if (count == null) {
            trie.put(prefix, new int[] {1});
        } else {
            count[0]++;
        }
    }

    /** UNSUBSCRIBE: drops one count, and the prefix with its last one (pruning empty nodes). */
    public void unsubscribe(byte[] prefix) {
        var count = trie.get(prefix);
        if (count != null && --count[0] == 0) {
            trie.put(prefix, null);
        }
    }

    /** SUB's filter: whether some subscribed prefix starts {@code message}. */
    public boolean matches(byte[] message) {
        return trie.hasPrefixOf(message);
    }

    /** PUB's distribution: how many subscribed prefixes start {@code message} (one visit each). */
    public int matchAll(byte[] message) {
        int[] hits = {0};
        trie.forEachPrefixOf(message, count -> hits[0]++);
        return hits[0];
    }
}
