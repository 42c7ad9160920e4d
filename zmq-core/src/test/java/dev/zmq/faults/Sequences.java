package dev.zmq.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Messages "generation:seq" counted by sequence number. */
final class Sequences {
    private Sequences() {
    }

    /** The sequence numbers of {@code generation} among {@code messages}, in order. */
    static List<Integer> of(List<String> messages, int generation) {
        var prefix = generation + ":";
        var out = new ArrayList<Integer>();
        for (var m : messages) {
            if (m.startsWith(prefix)) {
                out.add(Integer.parseInt(m.substring(prefix.length())));
            }
        }
        return out;
    }

    /** Asserts {@code seqs} is exactly {@code from, from+1, ..., to-1}: each once, in order, none missing. */
    static void assertExactlyOnce(List<Integer> seqs, int from, int to, String what) {
        var dups = duplicates(seqs);
        assertEquals(List.of(), dups, what + ": duplicated sequence numbers");
        for (int i = 0; i < seqs.size(); i++) {
            if (seqs.get(i) != from + i) {
                throw new AssertionError(what + ": expected seq " + (from + i) + " at position " + i + " but got " + seqs.get(i)
                        + " (" + seqs.size() + " received of " + (to - from) + ")");
            }
        }
        assertEquals(to - from, seqs.size(), what + ": messages missing at the end");
    }

    /** Asserts {@code seqs} is strictly increasing (in order, no duplicates), gaps allowed. */
    static void assertIncreasing(List<Integer> seqs, String what) {
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) <= seqs.get(i - 1)) {
                throw new AssertionError(what + ": seq " + seqs.get(i) + " after " + seqs.get(i - 1) + " at position " + i);
            }
        }
    }

    static List<Integer> duplicates(List<Integer> seqs) {
        var seen = new HashSet<Integer>();
        var dups = new ArrayList<Integer>();
        for (int s : seqs) {
            if (!seen.add(s)) {
                dups.add(s);
            }
        }
        return dups;
    }
}
