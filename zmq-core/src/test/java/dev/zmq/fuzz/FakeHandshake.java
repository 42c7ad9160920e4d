package dev.zmq.fuzz;

import dev.zmq.ZmqContext;
import dev.zmq.internal.context.ContextCore;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.Handshake;
import dev.zmq.internal.wire.mechanism.ZapRequester;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A mechanism's view of a connection without one: commands it sends are collected, ZAP goes to a
 * real context's ZAP client, and asynchronous steps (ZAP answers) wait in a queue until the
 * target runs them, as the I/O thread would.
 */
final class FakeHandshake implements Handshake {
    final List<byte[]> sent = new ArrayList<>();
    private final ZapRequester zap;
    private final BlockingQueue<Step> steps = new LinkedBlockingQueue<>();

    FakeHandshake(ZapRequester zap) {
        this.zap = zap;
    }

    @Override
    public void send(byte[] commandBody) {
        sent.add(commandBody);
    }

    @Override
    public String peerIp() {
        return "127.0.0.1";
    }

    @Override
    public ZapRequester zap() {
        return zap;
    }

    @Override
    public void resume(Step step) {
        steps.add(step);
    }

    /** Waits for the next asynchronous step (a ZAP answer) and runs it; false if none came in time. */
    boolean runNextStep(long millis) throws ZmtpProtocolException, InterruptedException {
        var step = steps.poll(millis, TimeUnit.MILLISECONDS);
        if (step == null) {
            return false;
        }
        step.run();
        return true;
    }

    /** The ZAP client of {@code context} (its core is not public API: reached by reflection, in tests only). */
    static ZapRequester zapOf(ZmqContext context) {
        try {
            var field = ZmqContext.class.getDeclaredField("core");
            field.setAccessible(true);
            return ((ContextCore) field.get(context)).zap();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ZmqContext has no field core any more: update FakeHandshake", e);
        }
    }

    /** Whether {@code body} is the command named {@code name}. */
    static boolean is(byte[] body, String name) {
        return body.length > name.length() && (body[0] & 0xFF) == name.length()
                && new String(body, 1, name.length(), java.nio.charset.StandardCharsets.US_ASCII).equals(name);
    }

    /**
     * Cuts a fuzz input into command bodies, each preceded by its length in two bytes (big-endian);
     * a last, short piece is taken as it is. scripts/capture-seeds.py writes seeds in this form.
     */
    static List<byte[]> commands(byte[] input) {
        var out = new ArrayList<byte[]>();
        int pos = 0;
        while (pos < input.length) {
            if (pos + 2 > input.length) {
                out.add(java.util.Arrays.copyOfRange(input, pos, input.length));
                break;
            }
            int len = ((input[pos] & 0xFF) << 8) | (input[pos + 1] & 0xFF);
            pos += 2;
            int end = Math.min(input.length, pos + len);
            out.add(java.util.Arrays.copyOfRange(input, pos, end));
            pos = end;
        }
        return out;
    }
}
