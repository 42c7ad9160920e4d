package dev.zmq.fuzz;

import dev.zmq.security.Z85;

/**
 * Fixed CURVE keys of the fuzz targets, made by libzmq's zmq_curve_keypair. scripts/capture-seeds.py
 * uses the same ones, so libzmq's captured CURVE handshakes reach past HELLO's box. Test keys only.
 */
final class TestKeys {
    static final String SERVER_PUBLIC = "5xIjiyR+A4]+S1rBk!.^wiV5:f&EbsCI8QCiO(qT";
    static final String SERVER_SECRET = "?awm=:fmyLY:x$XAh7wh^4sOYiIW38-w[%p<MG.+";
    static final String CLIENT_PUBLIC = "5tCJxdDhO.J{2e%Y>el1W{UI{vuAFW5KwH.Poh5=";
    static final String CLIENT_SECRET = "m<.puHu/^i&Ezx$Q]2yoS@tUYQr.=(?{!$Uki>6L";
    /** The PLAIN user the targets' ZAP handler accepts (and the captures log in as). */
    static final String USER = "admin";
    static final String PASSWORD = "secret";

    private TestKeys() {
    }

    static byte[] key(String z85) {
        return Z85.decode(z85);
    }
}
