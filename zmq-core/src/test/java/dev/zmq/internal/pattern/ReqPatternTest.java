package dev.zmq.internal.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;
import dev.zmq.internal.pipe.PipeOwner;
import dev.zmq.internal.options.Options;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * REQ's pattern against a pipe whose peer is as fast as it gets: the connection side takes the
 * request and delivers the reply while {@code trySend} is still running (the pipes are lock-free,
 * so a real I/O thread can do exactly this). The reply must be the one returned, never eaten as a
 * stale message.
 */
class ReqPatternTest {
    /** A peer that echoes each request, from inside the call that announced it. */
    private static class InstantEcho implements PipeEndpoint, PipeOwner {
        Pipe pipe;

        @Override
        public void outboundReady() {
            var taken = new ArrayList<Message>();
            pipe.drainOut(taken, 16);
            pipe.pushIn(taken);
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public void inboundArrived(Pipe p) {
        }

        @Override
        public void outboundRoom(Pipe p) {
        }
    }

    @Test
    void aReplyArrivingBeforeSendReturnsIsReceivedNotDiscarded() {
        var drops = new DropCounter();
        var pattern = Patterns.create(SocketType.REQ, new Options(SocketType.REQ), drops);
        var echo = new InstantEcho();
        echo.pipe = new Pipe(1000, 1000, false, echo, echo, drops);
        pattern.attach(echo.pipe);

        for (int i = 0; i < 3; i++) {
            assertEquals(true, pattern.trySend(Message.of("request " + i)));
            var reply = pattern.tryRecv();
            assertNotNull(reply, "the reply to request " + i + " was lost");
            assertEquals(List.of("request " + i), List.of(reply.frameString(0)));
            assertEquals(1, reply.size());
        }
        assertEquals(0, drops.inbound(), "nothing may be discarded");
    }

    @Test
    void aStaleMessageQueuedBeforeTheRequestIsStillDiscarded() {
        var drops = new DropCounter();
        var pattern = Patterns.create(SocketType.REQ, new Options(SocketType.REQ), drops);
        var endpoint = new InstantEcho() {
            @Override
            public void outboundReady() {
                // a slow peer: nothing comes back
            }
        };
        var pipe = new Pipe(1000, 1000, false, endpoint, endpoint, drops);
        pattern.attach(pipe);
        pipe.pushIn(Message.of(new byte[0], "stray".getBytes()));

        pattern.trySend(Message.of("request"));

        assertNull(pattern.tryRecv(), "the stray message must not be taken for the reply");
        assertEquals(1, drops.inbound());
    }
}
