package dev.zmq.internal.crypto;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;

/** Whether CURVE can run here: it needs Bouncy Castle, an optional dependency of zmq-core. */
public final class CurveSupport {
    private static final String PROBE = "org.bouncycastle.crypto.engines.XSalsa20Engine";
    private static volatile Boolean available;

    private CurveSupport() {
    }

    public static boolean available() {
        var a = available;
        if (a == null) {
            try {
                Class.forName(PROBE, false, CurveSupport.class.getClassLoader());
                a = true;
            } catch (ClassNotFoundException | LinkageError e) {
                a = false;
            }
            available = a;
        }
        return a;
    }

    /** Throws a ZmqException naming the missing dependency unless CURVE can run. */
    public static void require() {
        if (!available()) {
            throw new ZmqException(ZmqError.ENOTSUP, "the CURVE mechanism needs Bouncy Castle, an optional dependency of zmq-core:"
                    + " add org.bouncycastle:bcprov-jdk18on to the application's dependencies (class " + PROBE + " not found)");
        }
    }
}
