package dev.zmq.interop;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A libzmq socket living in the child python process. */
final class LibzmqPeer implements PeerSocket {
    private static final HexFormat HEX = HexFormat.of();
    private static final Duration QUICK = Duration.ofSeconds(5);

    private final LibzmqProcess process;
    private final SocketType type;
    private final String sid;
    private boolean closed;

    LibzmqPeer(LibzmqProcess process, SocketType type) {
        this.process = process;
        this.type = type;
        this.sid = process.command("new " + type.name(), QUICK);
    }

    @Override
    public Impl impl() {
        return Impl.LIBZMQ;
    }

    @Override
    public SocketType type() {
        return type;
    }

    @Override
    public String bind(String endpoint) {
        return process.command("bind " + sid + " " + endpoint, QUICK);
    }

    @Override
    public void connect(String endpoint) {
        process.command("connect " + sid + " " + endpoint, QUICK);
    }

    @Override
    public <T> void set(SocketOption<T> option, T value) {
        String encoded;
        if (value instanceof byte[] bytes) {
            encoded = "x" + HEX.formatHex(bytes);
        } else if (value instanceof Boolean b) {
            encoded = b ? "1" : "0";
        } else if (value instanceof Number n) {
            encoded = Long.toString(n.longValue());
        } else {
            throw new IllegalArgumentException("libzmq peer cannot encode " + option + "=" + value);
        }
        process.command("set " + sid + " " + option.name() + " " + encoded, QUICK);
    }

    @Override
    public void send(Message message) {
        var line = new StringBuilder(64 + (int) Math.min(Integer.MAX_VALUE / 4, message.byteSize() * 2 + 2 * message.size()));
        line.append("send ").append(sid).append(' ').append(SEND_TIMEOUT.toMillis());
        appendFrames(line, message);
        process.command(line.toString(), SEND_TIMEOUT);
    }

    @Override
    public void sendAll(List<Message> messages) {
        var line = new StringBuilder("sendall ").append(sid).append(' ').append(SEND_TIMEOUT.toMillis());
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                line.append(" |");
            }
            appendFrames(line, messages.get(i));
        }
        var sent = process.command(line.toString(), SEND_TIMEOUT.multipliedBy(3));
        if (Integer.parseInt(sent) != messages.size()) {
            throw new IllegalStateException("libzmq peer sent " + sent + " of " + messages.size() + " messages");
        }
    }

    @Override
    public Message recv(Duration timeout) {
        try {
            var messages = parseMessages(process.command("recv " + sid + " " + timeout.toMillis(), timeout));
            if (messages.size() != 1) {
                throw new IllegalStateException("libzmq peer answered recv with " + messages.size() + " messages");
            }
            return messages.get(0);
        } catch (ZmqException e) {
            if (e.error() == ZmqError.EAGAIN) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public List<Message> recvAll(int count, Duration timeout) {
        var childBound = timeout.multipliedBy(count);
        if (childBound.compareTo(Duration.ofMinutes(2)) > 0) {
            childBound = Duration.ofMinutes(2);
        }
        var messages = parseMessages(process.command("recvall " + sid + " " + count + " " + timeout.toMillis(), childBound));
        if (messages.size() != count) {
            throw new IllegalStateException("libzmq peer answered recvall " + count + " with " + messages.size() + " messages");
        }
        return messages;
    }

    @Override
    public void close() {
        if (!closed && process.isUsable()) {
            closed = true;
            process.command("close " + sid, QUICK);
        }
    }

    private static void appendFrames(StringBuilder line, Message message) {
        for (var frame : message.frames()) {
            line.append(" x");
            HEX.formatHex(line, frame);
        }
    }

    /** Parses {@code x<hex> x<hex> | x<hex> ...} into messages. */
    static List<Message> parseMessages(String payload) {
        var messages = new ArrayList<Message>();
        var frames = new ArrayList<byte[]>();
        int i = 0;
        int n = payload.length();
        while (i < n) {
            int end = payload.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            if (end - i == 1 && payload.charAt(i) == '|') {
                messages.add(Message.of(frames));
                frames.clear();
            } else if (end > i) {
                if (payload.charAt(i) != 'x') {
                    throw new IllegalStateException("bad frame token from the libzmq peer: " + LibzmqProcess.abbreviate(payload.substring(i, end)));
                }
                frames.add(HEX.parseHex(payload, i + 1, end));
            }
            i = end + 1;
        }
        if (!frames.isEmpty()) {
            messages.add(Message.of(frames));
        }
        return messages;
    }
}
