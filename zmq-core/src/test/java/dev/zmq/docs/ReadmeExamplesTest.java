package dev.zmq.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The zmq-core examples README.md quotes (between the tag comments), run as they are written. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeExamplesTest {

    @Test
    void requestReply() {
        var printed = new ByteArrayOutputStream();
        var original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            requestReplyExample();
        } finally {
            System.setOut(original);
        }
        assertEquals("Hello\nWorld\n", printed.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    private static void requestReplyExample() {
        // tag::request-reply[]
        try (var ctx = new ZmqContext();
             var rep = ctx.socket(SocketType.REP);
             var req = ctx.socket(SocketType.REQ)) {
            String endpoint = rep.bind("tcp://127.0.0.1:*");   // the real port is in the returned endpoint
            req.connect(endpoint);
            req.send("Hello");
            System.out.println(rep.recvString());               // Hello
            rep.send("World");
            System.out.println(req.recvString());               // World
        }
        // end::request-reply[]
    }
}
