package dev.zmq.pubsub;

import dev.zmq.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** JeroMQ 0.6 in this JVM: a ZMTP 3.0 peer. */
final class JeromqPeer implements InteropPeer {
    private final ZContext ctx = new ZContext();
    private final List<JSocket> sockets = new ArrayList<>();

    @Override
    public Socket socket(String type) {
        var s = ctx.createSocket(org.zeromq.SocketType.valueOf(type));
        s.setLinger(0);
        // JeroMQ 0.6.0 sometimes completes a TCP connect but never sends its greeting (a selector
        // registration race in its Poller, jeromq PR #1022; about 1 in 10 connects here). Its
        // handshake timer then drops the connection and reconnects: make that take 1 s, not 30.
        s.setHandshakeIvl(1000);
        var js = new JSocket(s);
        sockets.add(js);
        return js;
    }

    @Override
    public void close() {
        sockets.forEach(JSocket::stopQuietly);
        ctx.close();
    }

    @Override
    public String toString() {
        return "JeroMQ 0.6";
    }

    private static final class JSocket implements Socket {
        private final ZMQ.Socket s;
        private Thread publisher;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong count = new AtomicLong();
        private volatile Throwable publisherError;

        JSocket(ZMQ.Socket s) {
            this.s = s;
        }

        @Override
        public String bind(String endpoint) {
            if (!s.bind(endpoint)) {
                throw new AssertionError("JeroMQ could not bind " + endpoint);
            }
            return s.getLastEndpoint();
        }

        @Override
        public void connect(String endpoint) {
            s.connect(endpoint);
        }

        @Override
        public void set(String option, int value) {
            boolean ok = switch (option) {
                case "SNDHWM" -> s.setSndHWM(value);
                case "RCVHWM" -> s.setRcvHWM(value);
                case "XPUB_VERBOSE" -> s.setXpubVerbose(value != 0);
                case "XPUB_VERBOSER" -> s.setXpubVerboser(value != 0);
                case "XPUB_MANUAL" -> s.setXpubManual(value != 0);
                case "XPUB_NODROP" -> s.setXpubNoDrop(value != 0);
                case "CONFLATE" -> s.setConflate(value != 0);
                default -> throw new IllegalArgumentException(option);
            };
            if (!ok) {
                throw new AssertionError("JeroMQ refused " + option + "=" + value);
            }
        }

        @Override
        public void subscribe(byte[] topic) {
            s.subscribe(topic);
        }

        @Override
        public void unsubscribe(byte[] topic) {
            s.unsubscribe(topic);
        }

        @Override
        public void subscribeRange(String prefix, int from, int count) {
            for (int i = from; i < from + count; i++) {
                s.subscribe(String.format("%s%05d", prefix, i).getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void send(byte[]... frames) {
            for (int i = 0; i < frames.length; i++) {
                if (!s.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0)) {
                    throw new AssertionError("JeroMQ send failed: errno " + s.errno());
                }
            }
        }

        @Override
        public void sendRange(String prefix, int from, int count) {
            for (int i = from; i < from + count; i++) {
                send(String.format("%s%05d", prefix, i).getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public Message recv(Duration timeout) {
            s.setReceiveTimeOut((int) Math.max(1, timeout.toMillis()));
            var first = s.recv(0);
            if (first == null) {
                return null;
            }
            var frames = new ArrayList<byte[]>();
            frames.add(first);
            while (s.hasReceiveMore()) {
                frames.add(s.recv(0));
            }
            return Message.of(frames);
        }

        @Override
        public List<Message> recvMany(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            var got = new ArrayList<Message>();
            while (got.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                var m = recv(Duration.ofNanos(left));
                if (m == null) {
                    break;
                }
                got.add(m);
            }
            return got;
        }

        @Override
        public void startPublishing(String prefix, int connectAfter, String endpoint) {
            publisher = new Thread(() -> {
                try {
                    for (long seq = 0; !stop.get(); seq++) {
                        if (endpoint != null && seq == connectAfter) {
                            s.connect(endpoint);
                        }
                        s.send(String.format("%s%09d", prefix, seq));
                        count.incrementAndGet();
                        if (seq % 10 == 9) {
                            LockSupport.parkNanos(500_000); // pacing, so nothing is dropped
                        }
                    }
                } catch (Throwable t) {
                    publisherError = t;
                }
            }, "jeromq-publisher");
            publisher.setDaemon(true);
            publisher.start();
        }

        @Override
        public long published() {
            return count.get();
        }

        @Override
        public long stopPublishing() {
            stop.set(true);
            try {
                publisher.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (publisher.isAlive()) {
                throw new AssertionError("JeroMQ publisher thread did not stop");
            }
            publisher = null;
            if (publisherError != null) {
                throw new AssertionError("JeroMQ publisher failed", publisherError);
            }
            return count.get();
        }

        void stopQuietly() {
            stop.set(true);
            if (publisher != null) {
                try {
                    publisher.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
