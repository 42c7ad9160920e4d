package dev.zmq.internal.options;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writable options of one socket, with libzmq's defaults. Read by connections when they
 * start (each connection keeps what it read), and by patterns on every call.
 */
public final class Options {
    /** Read on the message path (pattern flags), so reads take no lock. */
    private final Map<SocketOption<?>, Object> values = new ConcurrentHashMap<>();

    // Hot-path options cached in fields.
    private volatile int sndhwm = SocketOption.SNDHWM.defaultValue();
    private volatile int rcvhwm = SocketOption.RCVHWM.defaultValue();
    private volatile int sndtimeo = SocketOption.SNDTIMEO.defaultValue();
    private volatile int rcvtimeo = SocketOption.RCVTIMEO.defaultValue();
    /**
     * REQ reads these two on every request and reply: a field each instead of {@link #flag}'s map
     * lookup, default and cast (three per roundtrip, about 120 bytecodes of the interpreted path and
     * Options.get's 200-byte compiles at tier 3 and 4 in a cold inproc_lat).
     */
    private volatile boolean reqRelaxed = SocketOption.REQ_RELAXED.defaultValue();
    private volatile boolean reqCorrelate = SocketOption.REQ_CORRELATE.defaultValue();

    /** LINGER's default: 0 for SUB, XSUB and DISH, -1 for the others, as libzmq 4.3 (xsub.cpp, dish.cpp). */
    private final int defaultLinger;

    public Options(SocketType type) {
        // DISH too (dish.cpp): pending joins are not worth waiting for at close.
        defaultLinger = type == SocketType.SUB || type == SocketType.XSUB || type == SocketType.DISH ? 0
                : SocketOption.LINGER.defaultValue();
    }

    /** The security mechanism the options select, as libzmq decides it: the last PLAIN/CURVE option set wins. */
    private volatile String mechanism = "NULL";
    private volatile boolean asServer;

    /** Values derived from the options ({@link #derived}), forgotten whenever an option is set. */
    private final Map<Object, Object> derived = new java.util.HashMap<>();

    public synchronized <T> void set(SocketOption<T> option, T value) {
        T checked = option.validate(value);
        derived.clear();
        if (option == SocketOption.IPV4ONLY) {
            values.put(SocketOption.IPV6, !(Boolean) checked); // libzmq keeps one flag for both
            return;
        }
        values.put(option, checked);
        selectMechanism(option, checked);
        if (option == SocketOption.SNDHWM) {
            sndhwm = (Integer) checked;
        } else if (option == SocketOption.RCVHWM) {
            rcvhwm = (Integer) checked;
        } else if (option == SocketOption.SNDTIMEO) {
            sndtimeo = (Integer) checked;
        } else if (option == SocketOption.RCVTIMEO) {
            rcvtimeo = (Integer) checked;
        } else if (option == SocketOption.REQ_RELAXED) {
            reqRelaxed = (Boolean) checked;
        } else if (option == SocketOption.REQ_CORRELATE) {
            reqCorrelate = (Boolean) checked;
        }
    }

    /**
     * A STREAM socket's last generated peer routing id, readable as ROUTING_ID afterwards, as libzmq's
     * stream.cpp stores it (the usual way to learn a connect's id). Not validated: generated ids start
     * with a zero byte, which the application may not set itself.
     */
    public void setGeneratedRoutingId(byte[] id) {
        values.put(SocketOption.ROUTING_ID, id.clone());
    }

    /** libzmq's options_t::setsockopt rules for ZMQ_PLAIN_* and ZMQ_CURVE_*. */
    private void selectMechanism(SocketOption<?> option, Object value) {
        if (option == SocketOption.PLAIN_SERVER) {
            asServer = (Boolean) value;
            mechanism = asServer ? "PLAIN" : "NULL";
        } else if (option == SocketOption.PLAIN_USERNAME || option == SocketOption.PLAIN_PASSWORD) {
            if (((String) value).isEmpty()) {
                // libzmq's zmq_setsockopt(s, ZMQ_PLAIN_USERNAME, NULL, 0): back to the NULL mechanism.
                mechanism = "NULL";
                return;
            }
            asServer = false;
            mechanism = "PLAIN";
        } else if (option == SocketOption.CURVE_SERVER) {
            asServer = (Boolean) value;
            mechanism = asServer ? "CURVE" : "NULL";
        } else if (option == SocketOption.CURVE_PUBLICKEY || option == SocketOption.CURVE_SECRETKEY) {
            mechanism = "CURVE";
        } else if (option == SocketOption.CURVE_SERVERKEY) {
            asServer = false;
            mechanism = "CURVE";
        }
    }

    /**
     * The value {@code derive} computes from these options, computed once for as long as no option
     * is set again (a CURVE server's public key, derived from its secret key: once per key rather
     * than once per connection). {@code key} names the value, by identity.
     */
    public synchronized <T> T derived(Object key, java.util.function.Supplier<T> derive) {
        @SuppressWarnings("unchecked")
        var value = (T) derived.get(key);
        if (value == null) {
            value = derive.get();
            derived.put(key, value);
        }
        return value;
    }

    /** "NULL", "PLAIN" or "CURVE". */
    public String mechanism() {
        return mechanism;
    }

    /** Whether this socket plays the server in PLAIN or CURVE. */
    public boolean asServer() {
        return asServer;
    }

    public <T> T get(SocketOption<T> option) {
        if (option == SocketOption.PLAIN_SERVER) {
            return option.type().cast(asServer && mechanism.equals("PLAIN"));
        }
        if (option == SocketOption.CURVE_SERVER) {
            return option.type().cast(asServer && mechanism.equals("CURVE"));
        }
        if (option == SocketOption.IPV4ONLY) {
            return option.type().cast(!get(SocketOption.IPV6));
        }
        var v = values.get(option);
        if (v == null) {
            if (option == SocketOption.LINGER) {
                return option.type().cast(defaultLinger);
            }
            return option.defaultValue();
        }
        return v instanceof byte[] b ? option.type().cast(b.clone()) : option.type().cast(v);
    }

    public int sndhwm() {
        return sndhwm;
    }

    public int rcvhwm() {
        return rcvhwm;
    }

    public int sndtimeo() {
        return sndtimeo;
    }

    public int rcvtimeo() {
        return rcvtimeo;
    }

    /** {@code flag(SocketOption.REQ_RELAXED)}, read from a field. */
    public boolean reqRelaxed() {
        return reqRelaxed;
    }

    /** {@code flag(SocketOption.REQ_CORRELATE)}, read from a field. */
    public boolean reqCorrelate() {
        return reqCorrelate;
    }

    public boolean flag(SocketOption<Boolean> option) {
        return get(option);
    }

    public int integer(SocketOption<Integer> option) {
        return get(option);
    }
}
