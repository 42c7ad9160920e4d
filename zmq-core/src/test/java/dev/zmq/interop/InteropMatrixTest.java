package dev.zmq.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every valid socket pair, with our socket binding or connecting, playing either type, against
 * JeroMQ in-process and against libzmq in a child process: small, multi-frame and 4 MiB messages
 * in the pattern's natural direction(s).
 */
class InteropMatrixTest {
    private static final LibzmqHost LIBZMQ = new LibzmqHost();

    record Case(Pair pair, boolean oursBinds, boolean oursFirst, Impl peer) {
        @Override
        public String toString() {
            var ours = Impl.underTest().label();
            var oursType = oursFirst ? pair.first : pair.second;
            return pair + ": " + ours + " " + oursType + (oursFirst ? " (1st)" : " (2nd)")
                    + (oursBinds ? " binds" : " connects") + ", " + peer.label() + " " + (oursFirst ? pair.second : pair.first)
                    + (oursBinds ? " connects" : " binds");
        }
    }

    static List<Case> cases() {
        var cases = new ArrayList<Case>();
        for (var pair : Pair.values()) {
            for (var peer : List.of(Impl.JEROMQ, Impl.LIBZMQ)) {
                for (boolean oursBinds : new boolean[] {true, false}) {
                    for (boolean oursFirst : new boolean[] {true, false}) {
                        cases.add(new Case(pair, oursBinds, oursFirst, peer));
                    }
                }
            }
        }
        return cases;
    }

    @AfterAll
    static void stopLibzmq() {
        LIBZMQ.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void exchange(Case c) {
        var self = Impl.underTest();
        try (var session = new PeerSession(LIBZMQ)) {
            var first = session.socket(c.oursFirst() ? self : c.peer(), c.pair().first);
            var second = session.socket(c.oursFirst() ? c.peer() : self, c.pair().second);
            boolean firstBinds = c.oursBinds() == c.oursFirst();
            c.pair().configure(first, second, firstBinds);
            var binder = firstBinds ? first : second;
            var connector = firstBinds ? second : first;
            connector.connect(binder.bind("tcp://127.0.0.1:*"));
            c.pair().exchange(first, second, firstBinds);
        } catch (org.opentest4j.TestAbortedException skipped) {
            throw skipped; // libzmq is not installed here (dev.zmq.testkit.Libzmq)
        } catch (Exception | AssertionError e) {
            // Name the case in the one-line summary, where the parameter index alone says nothing.
            throw new AssertionError("[" + c + "] " + e, e);
        }
    }
}
