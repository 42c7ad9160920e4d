package dev.zmq.internal.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.internal.options.Options;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** An ipc connection's send buffer: roomy unless SNDBUF is set, and SNDBUF's value when it is. */
class IpcBuffersTest {

    @Test
    void withoutSndbufTheSendBufferGrowsUnlessTheSystemDefaultIsLarger() throws Exception {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            int before = channel.getOption(StandardSocketOptions.SO_SNDBUF);
            IpcTransport.applyBuffers(channel, new Options(SocketType.PUSH));
            int after = channel.getOption(StandardSocketOptions.SO_SNDBUF);
            // The kernel caps the request at net.core.wmem_max (doubled), so "larger than before" is what holds everywhere.
            assertTrue(before >= IpcTransport.DEFAULT_SNDBUF ? after == before : after > before,
                    "SO_SNDBUF " + before + " -> " + after);
        }
    }

    @Test
    void sndbufIsAppliedAsGiven() throws Exception {
        try (var defaults = SocketChannel.open(StandardProtocolFamily.UNIX);
             var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // What the kernel makes of 16 KiB (Linux doubles it), measured on a channel of our own.
            defaults.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            var options = new Options(SocketType.PUSH);
            options.set(SocketOption.SNDBUF, 16 * 1024);
            IpcTransport.applyBuffers(channel, options);
            assertEquals(defaults.getOption(StandardSocketOptions.SO_SNDBUF), channel.getOption(StandardSocketOptions.SO_SNDBUF));
        }
    }
}
