package dev.zmq.robustness;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;

/**
 * Deterministic hostile byte streams: case {@code index} of a run with {@code seed} is always the
 * same stream, so a failing run can be replayed with the seed it prints.
 */
final class FuzzCases {
    /** How the client ends the connection after writing the stream. */
    enum Ending { RESET, HALF_CLOSE, CLOSE }

    /** One case: what to write (in chunks of at most {@code chunk} octets) and how to hang up. */
    record Case(long index, String kind, byte[] stream, int chunk, Ending ending) {
        @Override
        public String toString() {
            return "#" + index + " " + kind + " " + stream.length + "B/" + chunk + " " + ending + " "
                    + Zmtp.HEX.formatHex(stream, 0, Math.min(stream.length, 24)) + (stream.length > 24 ? "…" : "");
        }
    }

    private static final List<String> SOCKET_TYPES = List.of("REQ", "REP", "DEALER", "ROUTER", "PUB", "SUB",
            "XPUB", "XSUB", "PUSH", "PULL", "PAIR", "", "push", "PUSH\0", "CLIENT");
    private static final List<String> COMMANDS = List.of("READY", "ERROR", "PING", "PONG", "SUBSCRIBE", "CANCEL",
            "HELLO", "WELCOME", "INITIATE", "MESSAGE", "JOIN", "X", "");

    private final long seed;
    private final String peerType;
    private final byte[] collidingIdentity;
    private final boolean envelope;

    /**
     * @param peerType the Socket-Type a compatible peer announces
     * @param collidingIdentity an identity some READY commands announce to collide with a good peer's
     * @param envelope whether valid messages start with an empty delimiter frame (for REP)
     */
    FuzzCases(long seed, String peerType, byte[] collidingIdentity, boolean envelope) {
        this.seed = seed;
        this.peerType = peerType;
        this.collidingIdentity = collidingIdentity;
        this.envelope = envelope;
    }

    Case generate(long index) {
        var r = new Random(seed ^ (index * 0x9E3779B97F4A7C15L));
        int pick = r.nextInt(100);
        String kind;
        byte[] stream;
        if (pick < 12) {
            kind = "random";
            stream = randomBytes(r, r.nextInt(300));
        } else if (pick < 20) {
            kind = "signature+random";
            stream = Zmtp.concat(Arrays.copyOf(Zmtp.greeting(r.nextInt(4)), 10 + r.nextInt(3)), randomBytes(r, r.nextInt(200)));
        } else if (pick < 28) {
            kind = "greeting+random";
            stream = Zmtp.concat(Zmtp.greeting(r.nextInt(2)), randomBytes(r, r.nextInt(200)));
        } else if (pick < 40) {
            kind = "ready+random";
            stream = Zmtp.concat(Zmtp.greeting(1), Zmtp.ready(peerType), randomBytes(r, 1 + r.nextInt(300)));
        } else if (pick < 70) {
            kind = "mutated";
            stream = validStream(r);
            int mutations = 1 + r.nextInt(3);
            for (int i = 0; i < mutations; i++) {
                stream = mutate(r, stream);
            }
        } else if (pick < 90) {
            kind = "structured";
            stream = structuredHostile(r);
        } else {
            kind = "valid";
            stream = validStream(r);
        }
        int chunk = r.nextInt(4) == 0 ? 1 + r.nextInt(16) : Integer.MAX_VALUE;
        int e = r.nextInt(10);
        var ending = e < 7 ? Ending.RESET : e < 9 ? Ending.HALF_CLOSE : Ending.CLOSE;
        return new Case(index, kind, stream, chunk, ending);
    }

    /** Greeting, a compatible READY and a few messages, some with long frames. */
    private byte[] validStream(Random r) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(Zmtp.greeting(r.nextInt(2)));
        out.writeBytes(r.nextInt(4) == 0 ? Zmtp.ready(readyProperties(r)) : Zmtp.ready(peerType));
        int messages = 1 + r.nextInt(4);
        for (int m = 0; m < messages; m++) {
            int frames = 1 + r.nextInt(3);
            var parts = new byte[frames + (envelope ? 1 : 0)][];
            int p = 0;
            if (envelope) {
                parts[p++] = new byte[0];
            }
            for (int f = 0; f < frames; f++) {
                parts[p++] = randomBytes(r, r.nextInt(8) == 0 ? 256 + r.nextInt(600) : r.nextInt(40));
            }
            out.writeBytes(Zmtp.message(parts));
        }
        return out.toByteArray();
    }

    /** A compatible Socket-Type plus odd extras, sometimes a routing id that collides with the good peer's. */
    private LinkedHashMap<String, byte[]> readyProperties(Random r) {
        var props = new LinkedHashMap<String, byte[]>();
        props.put(r.nextBoolean() ? "Socket-Type" : "socket-type", peerType.getBytes(StandardCharsets.US_ASCII));
        switch (r.nextInt(5)) {
            case 0 -> props.put("Identity", collidingIdentity);
            case 1 -> props.put("Identity", new byte[0]);
            case 2 -> props.put("Identity", randomBytes(r, 1 + r.nextInt(255)));
            case 3 -> props.put("X-" + r.nextInt(1000), randomBytes(r, r.nextInt(300)));
            default -> props.put("Resource", "/a".getBytes(StandardCharsets.US_ASCII));
        }
        return props;
    }

    /** A greeting and handshake with one structural lie in it. */
    private byte[] structuredHostile(Random r) {
        var greeting = Zmtp.greeting(r.nextInt(2));
        var ready = Zmtp.ready(peerType);
        var message = Zmtp.message(envelope ? new byte[][] {new byte[0], randomBytes(r, 10)} : new byte[][] {randomBytes(r, 10)});
        return switch (r.nextInt(10)) {
            case 0 -> Zmtp.concat(greeting, Zmtp.ready(SOCKET_TYPES.get(r.nextInt(SOCKET_TYPES.size()))), message);
            case 1 -> Zmtp.concat(greeting, Zmtp.command("READY", randomBytes(r, r.nextInt(60))), message);
            case 2 -> Zmtp.concat(greeting, ready, Zmtp.command(COMMANDS.get(r.nextInt(COMMANDS.size())), randomBytes(r, r.nextInt(40))), message);
            case 3 -> Zmtp.concat(greeting, ready, Zmtp.header(r.nextInt(8) | Zmtp.FLAG_LONG, hugeSize(r)), randomBytes(r, r.nextInt(64)));
            case 4 -> Zmtp.concat(greeting, ready, new byte[] {(byte) r.nextInt(256), (byte) r.nextInt(256)}, randomBytes(r, r.nextInt(64)));
            case 5 -> Zmtp.concat(greeting, ready, Zmtp.command("PING", randomBytes(r, r.nextInt(30))), message);
            case 6 -> Zmtp.concat(greeting, ready, Zmtp.frame(Zmtp.FLAG_COMMAND | Zmtp.FLAG_MORE, new byte[] {4, 'P', 'I', 'N', 'G', 0, 0}), message);
            case 7 -> Zmtp.concat(greeting, Zmtp.command("READY", Zmtp.concat(Zmtp.properties(readyProperties(r)), randomBytes(r, 1 + r.nextInt(6)))), message);
            case 8 -> Zmtp.concat(greeting, ready, Zmtp.frame(Zmtp.FLAG_MORE, randomBytes(r, 5)), Zmtp.command("PING", new byte[2]), message);
            default -> Zmtp.concat(greeting, ready, ready, message);
        };
    }

    private static long hugeSize(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> 1L << 31;
            case 1 -> Long.MIN_VALUE | r.nextLong();
            case 2 -> -1L;
            case 3 -> (long) Integer.MAX_VALUE;
            default -> (1L << 20) + r.nextInt(1 << 20);
        };
    }

    private static byte[] mutate(Random r, byte[] s) {
        if (s.length == 0) {
            return randomBytes(r, 1 + r.nextInt(10));
        }
        int at = r.nextInt(s.length);
        return switch (r.nextInt(6)) {
            case 0 -> { // replace one octet
                var c = s.clone();
                c[at] = (byte) r.nextInt(256);
                yield c;
            }
            case 1 -> { // flip one bit
                var c = s.clone();
                c[at] ^= (byte) (1 << r.nextInt(8));
                yield c;
            }
            case 2 -> Arrays.copyOf(s, at); // truncate
            case 3 -> Zmtp.concat(Arrays.copyOf(s, at), randomBytes(r, 1 + r.nextInt(8)), Arrays.copyOfRange(s, at, s.length)); // insert
            case 4 -> Zmtp.concat(Arrays.copyOf(s, at), Arrays.copyOfRange(s, Math.min(s.length, at + 1 + r.nextInt(8)), s.length)); // delete
            default -> { // duplicate a range
                int end = Math.min(s.length, at + 1 + r.nextInt(16));
                yield Zmtp.concat(Arrays.copyOf(s, end), Arrays.copyOfRange(s, at, s.length));
            }
        };
    }

    private static byte[] randomBytes(Random r, int n) {
        var b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
