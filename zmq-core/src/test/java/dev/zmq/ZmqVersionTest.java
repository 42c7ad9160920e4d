package dev.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ZmqVersionTest {

    @Test
    void announcesZmtp31() {
        var v = ZmqVersion.current();
        assertEquals(3, v.zmtpMajor());
        assertEquals(1, v.zmtpMinor());
        assertTrue(v.toString().contains("(ZMTP 3.1)"), v::toString);
        assertSame(v, ZmqVersion.current());
    }
}
