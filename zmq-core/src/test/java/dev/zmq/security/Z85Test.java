package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class Z85Test {

    @Test
    void rfc32TestCase() {
        byte[] data = HexFormat.of().parseHex("864FD26FB559F75B");
        assertEquals("HelloWorld", Z85.encode(data));
        assertArrayEquals(data, Z85.decode("HelloWorld"));
    }

    @Test
    void libzmqKeysDecodeToThirtyTwoBytesAndBack() {
        // The server key pair of libzmq's curve tests (tests/testutil_security.cpp).
        String pub = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
        byte[] key = Z85.decode(pub);
        assertEquals(32, key.length);
        assertEquals(pub, Z85.encode(key));
    }

    @Test
    void extremesRoundTrip() {
        assertEquals("00000", Z85.encode(new byte[4]));
        assertEquals("%nSc0", Z85.encode(new byte[] {-1, -1, -1, -1}));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, Z85.decode("%nSc0"));
        assertEquals("", Z85.encode(new byte[0]));
    }

    @Test
    void randomRoundTrips() {
        var random = new Random(42);
        for (int n = 0; n < 200; n++) {
            var data = new byte[4 * random.nextInt(20)];
            random.nextBytes(data);
            assertArrayEquals(data, Z85.decode(Z85.encode(data)));
        }
    }

    @Test
    void clearErrors() {
        var e = assertThrows(ZmqException.class, () -> Z85.encode(new byte[5]));
        assertEquals(ZmqError.EINVAL, e.error());
        assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());

        e = assertThrows(ZmqException.class, () -> Z85.decode("Hello1"));
        assertTrue(e.getMessage().contains("multiple of 5"), e.getMessage());

        e = assertThrows(ZmqException.class, () -> Z85.decode("Hel\"o"));
        assertTrue(e.getMessage().contains("position 3"), e.getMessage());
        assertFalse(e.getMessage().contains("Hel"), "the text (maybe a secret) is not echoed");

        e = assertThrows(ZmqException.class, () -> Z85.decode("#####"));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }
}
