package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.Greeting;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The parsers of what a peer says before and between messages: the ZMTP 3 greeting, command
 * frames (READY, ERROR, PING, PONG, others) and metadata. Each input either parses to something
 * that survives encoding and parsing again unchanged, or fails with a {@link ZmtpProtocolException}
 * that names the problem; nothing else may escape, and the heap used stays within
 * {@link AllocationBudget}. Seeds are libzmq 4.3's greetings and commands (scripts/capture-seeds.py).
 */
class WireFuzzTest {
    /** What parsing one small structure may allocate besides its copies of the input. */
    private static final long PARSER_ALLOWANCE = 16 * 1024;

    @FuzzTest(maxDuration = "10s")
    void greeting(byte[] input) throws Exception {
        var g64 = Arrays.copyOf(input, Greeting.SIZE);
        AllocationBudget.within("Greeting.decode", PARSER_ALLOWANCE, input.length, () -> parseGreeting(g64));
        Greeting greeting;
        try {
            greeting = Greeting.decode(ByteBuffer.wrap(g64));
        } catch (ZmtpProtocolException e) {
            assertTrue(e.getMessage().contains("mechanism"), "greeting error without a reason: " + e.getMessage());
            return;
        }
        var name = greeting.mechanism();
        assertTrue(name.length() <= 20 && name.chars().allMatch(c -> c >= 0x20 && c <= 0x7E), "mechanism name " + name);
        assertEquals(greeting.major() > 3 || greeting.minor() >= 1, greeting.speaks31());
        var ours = Greeting.decode(ByteBuffer.wrap(Greeting.encode(name, greeting.asServer(), 0)));
        assertEquals(new Greeting(Greeting.OUR_MAJOR, Greeting.OUR_MINOR, name, greeting.asServer()), ours);
    }

    private static void parseGreeting(byte[] g64) {
        try {
            Greeting.decode(ByteBuffer.wrap(g64));
        } catch (ZmtpProtocolException expected) {
            // checked below
        }
    }

    @FuzzTest(maxDuration = "10s")
    void command(byte[] input) throws Exception {
        AllocationBudget.within("Command.decode", PARSER_ALLOWANCE, input.length, () -> parseCommand(input));
        Command command;
        try {
            command = Command.decode(input);
        } catch (ZmtpProtocolException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return;
        }
        assertEquals(command.name(), new String(input, 1, input[0] & 0xFF, java.nio.charset.StandardCharsets.US_ASCII));
        if (command instanceof Command.Ready ready) {
            var again = (Command.Ready) Command.decode(Command.encode("READY", ready.metadata().encode()));
            assertSameMetadata(ready.metadata(), again.metadata());
        } else if (command instanceof Command.Ping ping) {
            assertTrue(ping.context().length <= 16 && ping.ttlDeciseconds() >= 0 && ping.ttlDeciseconds() <= 0xFFFF);
            var again = (Command.Ping) Command.decode(Command.encode("PING", Arrays.copyOfRange(input, 1 + 4, input.length)));
            assertEquals(ping.ttlDeciseconds(), again.ttlDeciseconds());
            assertArrayEquals(ping.context(), again.context());
        } else if (command instanceof Command.Pong pong) {
            assertTrue(pong.context().length <= 16);
        } else if (command instanceof Command.Error error) {
            assertTrue(error.reason().length() <= 255);
        } else if (command instanceof Command.Other other) {
            assertEquals(input.length - 1 - (input[0] & 0xFF), other.data().length);
        }
    }

    private static void parseCommand(byte[] body) {
        try {
            Command.decode(body);
        } catch (ZmtpProtocolException expected) {
            // checked below
        }
    }

    @FuzzTest(maxDuration = "10s")
    void metadata(byte[] input) throws Exception {
        AllocationBudget.within("Metadata.decode", PARSER_ALLOWANCE, input.length, () -> parseMetadata(input));
        Metadata md;
        try {
            md = Metadata.decode(input);
        } catch (ZmtpProtocolException e) {
            assertEquals(dev.zmq.SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, e.code(), e.getMessage());
            return;
        }
        long total = md.asMap().entrySet().stream().mapToLong(e -> 1 + e.getKey().length() + 4 + e.getValue().length).sum();
        assertTrue(total <= input.length, "metadata holds " + total + " bytes from an input of " + input.length);
        assertSameMetadata(md, Metadata.decode(md.encode()));
    }

    private static void parseMetadata(byte[] data) {
        try {
            Metadata.decode(data);
        } catch (ZmtpProtocolException expected) {
            // checked below
        }
    }

    private static void assertSameMetadata(Metadata expected, Metadata actual) {
        Map<String, byte[]> a = expected.asMap();
        Map<String, byte[]> b = actual.asMap();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), "property " + k));
    }
}
