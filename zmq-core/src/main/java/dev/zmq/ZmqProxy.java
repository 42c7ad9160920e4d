package dev.zmq;

import java.nio.charset.StandardCharsets;

/**
 * The built-in proxy, as {@code zmq_proxy} and {@code zmq_proxy_steerable}: moves whole messages
 * between a frontend and a backend socket in both directions, optionally copies every message to a
 * capture socket, and obeys commands on a control socket. The Guide's devices are all this one
 * loop: ROUTER-DEALER (request-reply broker), XSUB-XPUB (forwarder), PULL-PUSH (streamer).
 *
 * <p>It runs on the calling thread until a {@code TERMINATE} command arrives (then it returns) or
 * the context is closed (then it throws {@link ZmqException} with {@link ZmqError#ETERM}, as
 * {@code zmq_proxy} returns ETERM). When a side has no room (its peers are at their high-water
 * mark, or it has none), the proxy stops reading from the other side until it has, so nothing
 * is dropped by the proxy itself.
 *
 * <p>Control commands (single-frame strings): {@code PAUSE} stops forwarding, {@code RESUME}
 * restarts it, {@code TERMINATE} ends the proxy, {@code STATISTICS} replies with eight frames of
 * 64-bit counters: frontend messages in, bytes in, messages out, bytes out, then the same for the
 * backend. A multi-frame message counts once, with all its bytes. As libzmq, the counters are in
 * the machine's byte order of libzmq on x86 (little-endian), so libzmq tools read them alike. A
 * REP control socket gets a reply to every command (the command itself, except STATISTICS), so it
 * can keep taking commands.
 */
public final class ZmqProxy {
    /** Messages moved per readiness check, so one busy direction cannot starve the other. */
    private static final int BATCH = 1000;

    private final ZmqSocket frontend;
    private final ZmqSocket backend;
    private final ZmqSocket capture;
    private final ZmqSocket control;
    private final long[] stats = new long[8];
    private boolean paused;

    private ZmqProxy(ZmqSocket frontend, ZmqSocket backend, ZmqSocket capture, ZmqSocket control) {
        this.frontend = java.util.Objects.requireNonNull(frontend, "frontend");
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        this.capture = capture;
        this.control = control;
    }

    /** Runs a proxy between {@code frontend} and {@code backend} until the context is closed. */
    public static void run(ZmqSocket frontend, ZmqSocket backend) {
        new ZmqProxy(frontend, backend, null, null).loop();
    }

    /** As {@link #run(ZmqSocket, ZmqSocket)}, copying every message to {@code capture} (may be null). */
    public static void run(ZmqSocket frontend, ZmqSocket backend, ZmqSocket capture) {
        new ZmqProxy(frontend, backend, capture, null).loop();
    }

    /**
     * A steerable proxy: as {@link #run(ZmqSocket, ZmqSocket, ZmqSocket)}, and obeys commands
     * arriving on {@code control}. Returns after {@code TERMINATE}.
     */
    public static void runSteerable(ZmqSocket frontend, ZmqSocket backend, ZmqSocket capture, ZmqSocket control) {
        new ZmqProxy(frontend, backend, capture, java.util.Objects.requireNonNull(control, "control")).loop();
    }

    private enum Moved { ALL, BLOCKED }

    private void loop() {
        boolean single = frontend == backend;
        try (var poller = new ZmqPoller()) {
            int f = poller.register(frontend, ZmqPoller.POLLIN);
            int b = single ? f : poller.register(backend, ZmqPoller.POLLIN);
            int c = control == null ? -1 : poller.register(control, ZmqPoller.POLLIN);
            boolean waitBackend = false;  // frontend has messages, backend has no room
            boolean waitFrontend = false; // the reverse
            while (true) {
                if (!single) {
                    poller.setEvents(f, (paused || waitBackend ? 0 : ZmqPoller.POLLIN) | (waitFrontend ? ZmqPoller.POLLOUT : 0));
                    poller.setEvents(b, (paused || waitFrontend ? 0 : ZmqPoller.POLLIN) | (waitBackend ? ZmqPoller.POLLOUT : 0));
                } else {
                    poller.setEvents(f, paused ? 0 : (waitBackend ? ZmqPoller.POLLOUT : ZmqPoller.POLLIN));
                }
                poller.poll(-1);
                if (c >= 0 && poller.isReadable(c) && handleControl()) {
                    return;
                }
                if (paused) {
                    continue;
                }
                if (poller.isReadable(f) || (waitBackend && poller.isWritable(b))) {
                    waitBackend = move(frontend, backend, 0) == Moved.BLOCKED;
                }
                if (!single && (poller.isReadable(b) || (waitFrontend && poller.isWritable(f)))) {
                    waitFrontend = move(backend, frontend, 4) == Moved.BLOCKED;
                }
            }
        }
    }

    /** Moves messages while there are some and {@code to} has room; statistics from index {@code from}. */
    private Moved move(ZmqSocket source, ZmqSocket target, int statsBase) {
        int toBase = statsBase == 0 ? 4 : 0;
        for (int i = 0; i < BATCH; i++) {
            if (!canSend(target)) {
                return Moved.BLOCKED;
            }
            var m = source.tryRecv();
            if (m == null) {
                return Moved.ALL;
            }
            if (!target.trySend(m)) {
                target.send(m); // readiness said yes; never drop what was already taken
            }
            long bytes = m.byteSize();
            stats[statsBase]++;
            stats[statsBase + 1] += bytes;
            stats[toBase + 2]++;
            stats[toBase + 3] += bytes;
            if (capture != null) {
                capture.trySend(m);
            }
        }
        return Moved.ALL;
    }

    private static boolean canSend(ZmqSocket socket) {
        return (((dev.zmq.internal.socket.SocketCore) socket).pollEvents() & ZmqPoller.POLLOUT) != 0;
    }

    /** Handles one control command; true when the proxy must end. */
    private boolean handleControl() {
        var command = control.tryRecv();
        if (command == null) {
            return false;
        }
        var name = new String(command.first(), StandardCharsets.UTF_8);
        boolean reply = control.type() == SocketType.REP;
        switch (name) {
            case "PAUSE" -> paused = true;
            case "RESUME" -> paused = false;
            case "TERMINATE" -> {
                if (reply) {
                    control.send(name);
                }
                return true;
            }
            case "STATISTICS" -> {
                var frames = new byte[8][];
                for (int i = 0; i < 8; i++) {
                    frames[i] = littleEndian(stats[i]);
                }
                control.send(Message.of(frames));
                return false;
            }
            default -> {
                // Unknown commands are ignored, as libzmq does.
            }
        }
        if (reply) {
            control.send(name);
        }
        return false;
    }

    private static byte[] littleEndian(long v) {
        var b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
