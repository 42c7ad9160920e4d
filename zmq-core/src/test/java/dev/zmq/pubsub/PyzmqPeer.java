package dev.zmq.pubsub;

import dev.zmq.testkit.Libzmq;

import dev.zmq.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * libzmq 4.3.4 through pyzmq in a child {@code /usr/bin/python3} running
 * {@code pubsub/pyzmq_peer.py}, driven one command line at a time. Every call has a deadline;
 * the child has its own hard alarm, and {@link #close()} kills it if it does not exit at once.
 */
final class PyzmqPeer implements InteropPeer {
    private static final String PYTHON = "/usr/bin/python3";
    /** Slack on top of a command's own timeout for the round trip to the child. */
    private static final Duration REPLY_SLACK = Duration.ofSeconds(10);
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private int nextId;

    PyzmqPeer() {
        Libzmq.assumeAvailable();
        try {
            var script = Path.of(PyzmqPeer.class.getResource("/pubsub/pyzmq_peer.py").toURI());
            var pb = new ProcessBuilder(PYTHON, "-u", script.toString());
            pb.environment().put("PEER_DEADLINE_S", "60");
            process = pb.start();
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError("cannot start " + PYTHON + " with pyzmq", e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump("pyzmq-stdout", new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
        pump("pyzmq-stderr", new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    }

    private void pump(String name, BufferedReader reader, boolean isReplies) {
        var t = new Thread(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (isReplies) {
                        replies.add(line);
                    } else {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
            if (isReplies) {
                replies.add(EOF);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Sends one command and returns the text after "ok" of its reply. */
    String call(String command, Duration commandTimeout) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("pyzmq peer is gone (" + command + "); stderr:\n" + stderr, e);
        }
        String reply;
        try {
            reply = replies.poll(commandTimeout.plus(REPLY_SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for pyzmq", e);
        }
        if (reply == null) {
            throw new AssertionError("no reply from pyzmq to '" + command + "'; stderr:\n" + stderr);
        }
        if (reply.equals(EOF)) {
            replies.add(EOF);
            throw new AssertionError("pyzmq peer exited during '" + command + "'; stderr:\n" + stderr);
        }
        if (!reply.startsWith("ok")) {
            throw new AssertionError("pyzmq: '" + command + "' -> " + reply + "; stderr:\n" + stderr);
        }
        return reply.length() > 3 ? reply.substring(3) : "";
    }

    String call(String command) {
        return call(command, Duration.ZERO);
    }

    @Override
    public Socket socket(String type) {
        var id = "s" + nextId++;
        call("socket " + id + " " + type);
        return new PySocket(id);
    }

    @Override
    public void close() {
        try {
            stdin.write("quit\n");
            stdin.flush();
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "libzmq 4.3.4 (pyzmq)";
    }

    static String hex(byte[] b) {
        return b.length == 0 ? "-" : HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return s.equals("-") ? new byte[0] : HexFormat.of().parseHex(s);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private final class PySocket implements Socket {
        private final String id;

        PySocket(String id) {
            this.id = id;
        }

        @Override
        public String bind(String endpoint) {
            return call("bind " + id + " " + endpoint);
        }

        @Override
        public void connect(String endpoint) {
            call("connect " + id + " " + endpoint);
        }

        @Override
        public void set(String option, int value) {
            call("set " + id + " " + option + " " + value);
        }

        @Override
        public void subscribe(byte[] topic) {
            call("sub " + id + " " + hex(topic));
        }

        @Override
        public void unsubscribe(byte[] topic) {
            call("unsub " + id + " " + hex(topic));
        }

        @Override
        public void subscribeRange(String prefix, int from, int count) {
            call("sub-range " + id + " " + hex(utf8(prefix)) + " " + from + " " + count);
        }

        @Override
        public void send(byte[]... frames) {
            var sb = new StringBuilder("send ").append(id);
            for (var f : frames) {
                sb.append(' ').append(hex(f));
            }
            call(sb.toString());
        }

        @Override
        public void sendRange(String prefix, int from, int count) {
            call("send-range " + id + " " + hex(utf8(prefix)) + " " + from + " " + count);
        }

        @Override
        public Message recv(Duration timeout) {
            var reply = call("recv " + id + " " + Math.max(1, timeout.toMillis()), timeout);
            if (reply.equals("timeout")) {
                return null;
            }
            var frames = new ArrayList<byte[]>();
            for (var f : reply.split(" ")) {
                frames.add(unhex(f));
            }
            return Message.of(frames);
        }

        @Override
        public List<Message> recvMany(int n, Duration timeout) {
            var words = call("recv-n " + id + " " + n + " " + timeout.toMillis(), timeout).split(" ");
            int count = Integer.parseInt(words[0]);
            var got = new ArrayList<Message>(count);
            for (int i = 1; i <= count; i++) {
                var frames = new ArrayList<byte[]>();
                for (var f : words[i].split(",", -1)) {
                    frames.add(unhex(f));
                }
                got.add(Message.of(frames));
            }
            return got;
        }

        @Override
        public void startPublishing(String prefix, int connectAfter, String endpoint) {
            call("pub-loop " + id + " " + hex(utf8(prefix)) + (endpoint == null ? "" : " " + connectAfter + " " + endpoint));
        }

        @Override
        public long published() {
            return Long.parseLong(call("pub-count " + id));
        }

        @Override
        public long stopPublishing() {
            return Long.parseLong(call("pub-stop " + id));
        }
    }
}
