package dev.zmq.interop.draft;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@link DraftPeer} on JeroMQ (whichever JeroMQ the class loader that loaded this class sees).
 *
 * <p>JeroMQ 0.6.0 and 0.7.0 both lose a few percent of their TCP connects (the connect hand-off race
 * that dev.zmq.interop.JeromqNudger describes: seen here too, JeroMQ's side never reading our greeting);
 * as there, a thread binds a throw-away socket on the peer's context every 250 ms, which makes
 * JeroMQ's poller register the stuck handle again. The socket under test is left alone.
 */
public final class JeromqDraftPeer implements DraftPeer {
    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket socket;
    private final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    private final Thread nudger;

    public JeromqDraftPeer(String type) {
        socket = context.createSocket(SocketType.valueOf(type));
        socket.setLinger(0);
        nudger = new Thread(this::nudge, "jeromq-draft-nudger");
        nudger.setDaemon(true);
        nudger.start();
    }

    private void nudge() {
        try {
            while (!stop.await(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                var throwAway = context.createSocket(SocketType.PAIR);
                try {
                    throwAway.setLinger(0);
                    throwAway.bind("tcp://127.0.0.1:*");
                } finally {
                    context.destroySocket(throwAway);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the context is closing under us: nothing left to nudge
        }
    }

    @Override
    public String bind() {
        int port = socket.bindToRandomPort("tcp://127.0.0.1");
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void connect(String endpoint) {
        if (!socket.connect(endpoint)) {
            throw new IllegalStateException("JeroMQ connect to " + endpoint + " failed: " + socket.errno());
        }
    }

    @Override
    public int connectPeer(String endpoint) {
        return socket.connectPeer(endpoint);
    }

    @Override
    public void join(String group) {
        if (!socket.join(group)) {
            throw new IllegalStateException("JeroMQ join failed: " + socket.errno());
        }
    }

    @Override
    public void send(byte[] body, int routingId, String group) {
        var msg = new zmq.Msg(body);
        if (routingId != 0) {
            msg.setRoutingId(routingId);
        }
        if (group != null) {
            msg.setGroup(group);
        }
        if (!socket.base().send(msg, 0)) {
            throw new IllegalStateException("JeroMQ send failed: errno " + socket.base().errno());
        }
    }

    @Override
    public Received recv(int timeoutMillis) {
        socket.setReceiveTimeOut(timeoutMillis);
        var msg = socket.base().recv(0);
        if (msg == null) {
            return null;
        }
        return new Received(msg.data(), msg.getRoutingId(), msg.getGroup());
    }

    @Override
    public String version() {
        return String.valueOf(ZMQ.class.getProtectionDomain().getCodeSource().getLocation()); // the jar's name has the version
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            nudger.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
