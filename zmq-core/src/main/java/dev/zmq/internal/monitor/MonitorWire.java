package dev.zmq.internal.monitor;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import java.nio.charset.StandardCharsets;

/**
 * libzmq's monitor message format (version 1): a 6-byte frame with the event code as a 16-bit
 * and the value as a 32-bit integer, both little-endian as libzmq writes them on x86, then the
 * endpoint as a string frame.
 */
public final class MonitorWire {
    private MonitorWire() {
    }

    public static Message encode(SocketEvent event) {
        var head = new byte[6];
        int code = event.type().code();
        head[0] = (byte) code;
        head[1] = (byte) (code >>> 8);
        long v = event.value();
        for (int i = 0; i < 4; i++) {
            head[2 + i] = (byte) (v >>> (8 * i));
        }
        var endpoint = event.endpoint() == null ? "" : event.endpoint();
        return Message.of(head, endpoint.getBytes(StandardCharsets.UTF_8));
    }
}
