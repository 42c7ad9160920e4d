package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.security.Z85;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Z85 (RFC 32), which reads CURVE keys from configuration and key files: any text decodes to
 * bytes that encode back to the same text, or fails with EINVAL; any whole 4-byte groups encode
 * and decode back. Seeds are keys from libzmq's zmq_curve_keypair (scripts/capture-seeds.py).
 */
class Z85FuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] input) throws Exception {
        // Latin-1 makes every byte one char, so the fuzzer also reaches characters above 127.
        var text = new String(input, StandardCharsets.ISO_8859_1);
        AllocationBudget.within("Z85.decode", 4 * 1024, input.length * 4, () -> {
            try {
                Z85.decode(text);
            } catch (ZmqException expected) {
                // checked below
            }
        });
        byte[] bytes;
        try {
            bytes = Z85.decode(text);
        } catch (ZmqException e) {
            assertEquals(ZmqError.EINVAL, e.error(), e.getMessage());
            assertTrue(!e.getMessage().contains(text) || text.length() < 5, "the error repeats the (maybe secret) text");
            return;
        }
        assertEquals(text.length() / 5 * 4, bytes.length);
        assertEquals(text, Z85.encode(bytes), "decoding is not the inverse of encoding");
    }

    @FuzzTest(maxDuration = "10s")
    void roundTrip(byte[] input) {
        var data = Arrays.copyOf(input, input.length / 4 * 4);
        var text = Z85.encode(data);
        assertEquals(data.length / 4 * 5, text.length());
        assertArrayEquals(data, Z85.decode(text));
    }
}
