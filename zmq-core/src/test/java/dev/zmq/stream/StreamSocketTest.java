package dev.zmq.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.PythonScript;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * STREAM with libzmq 4.3's semantics: plain TCP peers (java.net.Socket, Python's socket module, the
 * JDK's HTTP server) on the other end, and the same scenario run on libzmq's STREAM through pyzmq
 * with the same observable frames.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamSocketTest {

    @Test
    void servesAPlainJavaSocketAndClosesItOnAnEmptyFrame() throws IOException {
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            var port = port(stream.bind("tcp://127.0.0.1:*"));
            try (var client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout((int) Await.SOON.toMillis());
                var hello = Await.recv(stream);
                assertEquals(2, hello.size(), "[routing id, data]");
                var id = hello.frame(0);
                assertEquals(5, id.length, "a generated id is 5 bytes");
                assertEquals(0, id[0], "a generated id starts with a zero byte");
                assertEquals(0, hello.frame(1).length, "the connection is announced by empty data (STREAM_NOTIFY)");

                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello", receiveData(stream, id, 5));

                stream.send(Message.of(id, "world".getBytes(StandardCharsets.US_ASCII)));
                stream.send(Message.of(id, new byte[0]));
                assertEquals("world", new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII),
                        "the data sent before the empty frame, then the end of the stream");
                Await.until("the closed connection to become unroutable", () -> sendFails(stream, id) == ZmqError.EHOSTUNREACH);
            }
        }
    }

    @Test
    void announcesAClientThatLeavesAndThenRefusesToRouteToIt() throws IOException {
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            var port = port(stream.bind("tcp://127.0.0.1:*"));
            byte[] id;
            try (var client = new Socket("127.0.0.1", port)) {
                var connected = Await.recv(stream);
                id = connected.frame(0);
                assertEquals(0, connected.frame(1).length);
                client.getOutputStream().write(new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, receiveData(stream, id, 3).getBytes(StandardCharsets.ISO_8859_1));
            }
            var gone = Await.recv(stream);
            assertArrayEquals(id, gone.frame(0), "the disconnection names the connection");
            assertEquals(0, gone.frame(1).length, "a disconnection is announced by empty data");
            // As in libzmq, the notice may be read a moment before the connection's pipe is gone.
            Await.until("the departed connection to become unroutable", () -> sendFails(stream, id) == ZmqError.EHOSTUNREACH);
        }
    }

    @Test
    void aLargeWriteArrivesInMessagesOfAtMost8KiBAsLibzmqReadsThem() throws IOException {
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            var port = port(stream.bind("tcp://127.0.0.1:*"));
            try (var client = new Socket("127.0.0.1", port)) {
                var id = Await.recv(stream).frame(0);
                var sent = new byte[1 << 20];
                for (int i = 0; i < sent.length; i++) {
                    sent[i] = (byte) (i * 31 + (i >>> 8));
                }
                client.getOutputStream().write(sent);
                var received = new ByteArrayOutputStream();
                int largest = 0;
                while (received.size() < sent.length) {
                    var m = Await.recv(stream);
                    assertArrayEquals(id, m.frame(0), "data from another connection");
                    largest = Math.max(largest, m.frame(1).length);
                    received.writeBytes(m.frame(1));
                }
                assertArrayEquals(sent, received.toByteArray(), "every byte, in order");
                assertTrue(largest <= 8192, "a message holds one read of at most 8 KiB, as libzmq's: " + largest);
            }
        }
    }

    @Test
    void withoutStreamNotifyOnlyDataArrives() throws IOException {
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            stream.set(SocketOption.STREAM_NOTIFY, false);
            var port = port(stream.bind("tcp://127.0.0.1:*"));
            try (var client = new Socket("127.0.0.1", port)) {
                client.getOutputStream().write('x');
                var first = Await.recv(stream);
                assertEquals("x", first.frameString(1), "the first message is data, not a connection notice");
            }
            assertEquals(null, stream.recv(Await.QUIET), "no disconnection notice either");
        }
    }

    @Test
    void servesAUnixDomainSocketClientOverIpc(@TempDir java.nio.file.Path dir) throws IOException {
        var path = dir.resolve("s.sock");
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            stream.bind("ipc://" + path);
            try (var client = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(path))) {
                var connected = Await.recv(stream);
                var id = connected.frame(0);
                assertEquals(0, connected.frame(1).length, "connected");
                client.write(java.nio.ByteBuffer.wrap("over ipc".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("over ipc", receiveData(stream, id, 8));
                stream.send(Message.of(id, "ok".getBytes(StandardCharsets.US_ASCII)));
                stream.send(Message.of(id, new byte[0]));
                var in = new ByteArrayOutputStream();
                var buffer = java.nio.ByteBuffer.allocate(16);
                while (client.read(buffer.clear()) > 0) {
                    in.write(buffer.array(), 0, buffer.position());
                }
                assertEquals("ok", in.toString(StandardCharsets.US_ASCII), "the reply, then the end of the stream");
            }
        }
    }

    @Test
    void servesAPythonSocketClient() {
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            var port = port(stream.bind("tcp://127.0.0.1:*"));
            try (var python = PythonScript.start("/stream/python_socket_client.py", "127.0.0.1", Integer.toString(port))) {
                var connected = Await.recv(stream);
                var id = connected.frame(0);
                assertEquals(0, connected.frame(1).length);
                assertEquals("ping", receiveData(stream, id, 4));
                stream.send(Message.of(id, "pong".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("got pong", python.readLine());
                stream.send(Message.of(id, new byte[0]));
                assertEquals("eof", python.readLine(), "the empty frame closed the Python client's connection");
                assertEquals(0, python.exitCode(Await.SOON), python.stderr());
            }
        }
    }

    @Test
    void talksHttpToAPlainTcpServerAsAClient() throws IOException {
        var http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/hello", exchange -> {
            var body = ("hi " + exchange.getRequestMethod()).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            stream.connect("tcp://127.0.0.1:" + http.getAddress().getPort());
            var id = stream.get(SocketOption.ROUTING_ID);
            assertEquals(5, id.length, "after connect, ROUTING_ID reads the connection's generated id, as libzmq");
            var connected = Await.recv(stream);
            assertArrayEquals(id, connected.frame(0));
            assertEquals(0, connected.frame(1).length, "connected");

            stream.send(Message.of(id, "GET /hello HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            var response = new ByteArrayOutputStream();
            while (true) {
                var m = Await.recv(stream);
                assertArrayEquals(id, m.frame(0));
                if (m.frame(1).length == 0) {
                    break; // HTTP/1.0: the server closes the connection after the response
                }
                response.writeBytes(m.frame(1));
            }
            var text = response.toString(StandardCharsets.US_ASCII);
            assertTrue(text.startsWith("HTTP/1.1 200 "), text);
            assertTrue(text.endsWith("\r\n\r\nhi GET"), text);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void connectRoutingIdNamesTheConnection() throws IOException {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            stream.set(SocketOption.CONNECT_ROUTING_ID, "web".getBytes(StandardCharsets.US_ASCII));
            stream.connect("tcp://127.0.0.1:" + server.getLocalPort());
            try (var accepted = server.accept()) {
                accepted.setSoTimeout((int) Await.SOON.toMillis());
                var connected = Await.recv(stream);
                assertEquals("web", connected.frameString(0));
                stream.send(Message.of("web", "abc"));
                assertEquals("abc", new String(accepted.getInputStream().readNBytes(3), StandardCharsets.US_ASCII));
            }
            var gone = Await.recv(stream);
            assertEquals(Message.of("web", ""), gone, "the server closing is announced");
        }
    }

    @Test
    void refusesMessagesThatAreNotRoutingIdAndData() {
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            stream.bind("tcp://127.0.0.1:*");
            var single = assertThrows(ZmqException.class, () -> stream.send(Message.of("only")));
            assertEquals(ZmqError.EINVAL, single.error());
            assertTrue(single.getMessage().contains("[routing id, data]"), single.getMessage());
            var unknown = assertThrows(ZmqException.class, () -> stream.send(Message.of("nobody", "x")));
            assertEquals(ZmqError.EHOSTUNREACH, unknown.error());
        }
    }

    @Test
    void streamNotifyIsAStreamOption() {
        try (var ctx = new ZmqContext(); var dealer = ctx.socket(SocketType.DEALER); var stream = ctx.socket(SocketType.STREAM)) {
            assertEquals(true, stream.get(SocketOption.STREAM_NOTIFY));
            var e = assertThrows(ZmqException.class, () -> dealer.set(SocketOption.STREAM_NOTIFY, false));
            assertEquals(ZmqError.EINVAL, e.error(), "as libzmq: STREAM_NOTIFY on another socket type");
        }
    }

    /**
     * The same scenario on libzmq's STREAM (pyzmq) and on ours, with java.net.Socket clients: the
     * transcript of what each STREAM observed (per connection: notices and data, the id's shape),
     * and what sending to a connection it closed gives, must be the same.
     */
    @Test
    void behavesAsLibzmqsStreamInTheSameScenario() throws IOException {
        List<String> theirs = new ArrayList<>();
        try (var python = PythonScript.start("/stream/libzmq_stream_server.py")) {
            var bound = python.readLine();
            assertTrue(bound.startsWith("bound tcp://"), bound);
            runClients(port(bound.substring("bound ".length())));
            for (String line; !(line = python.readLine()).equals("done"); ) {
                theirs.add(line);
            }
        }
        List<String> ours;
        try (var ctx = new ZmqContext(); var stream = ctx.socket(SocketType.STREAM)) {
            var port = port(stream.bind("tcp://127.0.0.1:*"));
            var server = new Thread(() -> runClientsQuietly(port), "stream-clients");
            server.start();
            ours = serverScenario(stream);
        }
        assertEquals(theirs, ours);
        assertEquals(List.of("peer1 idlen=5 zerofirst=True: notify, data hello", "peer2 idlen=5 zerofirst=True: notify, notify",
                "send to closed peer: EHOSTUNREACH"), ours, "the scenario itself (what libzmq 4.3.4 shows)");
    }

    /** Our STREAM's side of the scenario, as libzmq_stream_server.py does it. */
    private static List<String> serverScenario(ZmqSocket s) {
        Map<String, List<byte[]>> events = new LinkedHashMap<>();
        var first = Await.recv(s);
        record(events, first);
        var firstId = first.frame(0);
        var received = new StringBuilder();
        while (!received.toString().equals("hello")) {
            var m = Await.recv(s);
            record(events, m);
            assertArrayEquals(firstId, m.frame(0));
            received.append(m.frameString(1));
        }
        s.send(Message.of(firstId, "world".getBytes(StandardCharsets.US_ASCII)));
        s.send(Message.of(firstId, new byte[0]));
        while (events.size() < 2 || new ArrayList<>(events.values()).get(1).size() < 2) {
            record(events, Await.recv(s));
        }
        for (Message m; (m = s.recv(Await.QUIET)) != null; ) {
            record(events, m);
        }
        var lines = new ArrayList<String>();
        int i = 0;
        for (var e : events.entrySet()) {
            var id = java.util.HexFormat.of().parseHex(e.getKey());
            var joined = new ArrayList<String>();
            for (var d : e.getValue()) {
                if (d.length == 0) {
                    joined.add("notify");
                } else if (!joined.isEmpty() && joined.get(joined.size() - 1).startsWith("data ")) {
                    joined.set(joined.size() - 1, joined.get(joined.size() - 1) + new String(d, StandardCharsets.UTF_8));
                } else {
                    joined.add("data " + new String(d, StandardCharsets.UTF_8));
                }
            }
            lines.add("peer" + (++i) + " idlen=" + id.length + " zerofirst=" + (id[0] == 0 ? "True" : "False") + ": "
                    + String.join(", ", joined));
        }
        var error = sendFails(s, firstId);
        lines.add("send to closed peer: " + (error == null ? "ok" : error.name()));
        return lines;
    }

    private static void record(Map<String, List<byte[]>> events, Message m) {
        assertEquals(2, m.size(), "[routing id, data]");
        events.computeIfAbsent(java.util.HexFormat.of().formatHex(m.frame(0)), k -> new ArrayList<>()).add(m.frame(1));
    }

    /** Client 1 sends "hello", reads "world" to the end of the stream; client 2 connects and leaves. */
    private static void runClients(int port) throws IOException {
        try (var client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout((int) Await.SOON.toMillis());
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals("world", new String(readToEnd(client.getInputStream()), StandardCharsets.US_ASCII));
        }
        try (var client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout((int) Await.SOON.toMillis());
        }
    }

    private static void runClientsQuietly(int port) {
        try {
            runClients(port);
        } catch (IOException | AssertionError e) {
            throw new IllegalStateException("a client of the scenario failed", e);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Data from {@code id} until {@code length} bytes came (TCP may split them). */
    private static String receiveData(ZmqSocket stream, byte[] id, int length) {
        var data = new ByteArrayOutputStream();
        while (data.size() < length) {
            var m = Await.recv(stream);
            assertArrayEquals(id, m.frame(0), "data from another connection");
            assertNotEquals(0, m.frame(1).length, "a disconnection instead of data");
            data.writeBytes(m.frame(1));
        }
        return data.toString(StandardCharsets.ISO_8859_1);
    }

    /** The error of sending one byte to {@code id}, or null if the send succeeds. */
    private static ZmqError sendFails(ZmqSocket stream, byte[] id) {
        try {
            stream.send(Message.of(id, new byte[] {'?'}), Duration.ZERO);
            return null;
        } catch (ZmqException e) {
            return e.error();
        }
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
