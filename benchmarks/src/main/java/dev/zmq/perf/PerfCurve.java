package dev.zmq.perf;

import dev.zmq.security.CurveKeyPair;
import java.util.Map;

/**
 * CURVE for the throughput tools ({@code <enable_curve>} = 1, as libzmq's perf tools). The server's
 * key pair comes from {@code ZMQ_PERF_SERVER_PUBLIC} and {@code ZMQ_PERF_SERVER_SECRET} (Z85) when
 * set, otherwise it is the fixed pair libzmq's local_thr/remote_thr use, so our tools pair with
 * theirs either way; the client makes a fresh key pair of its own (no ZAP handler runs, so the
 * server accepts any client, as libzmq's tools do).
 */
final class PerfCurve {
    /** libzmq perf/local_thr.cpp's server secret key; its public key is {@link #LIBZMQ_SERVER_PUBLIC}. */
    static final String LIBZMQ_SERVER_SECRET = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";
    /** libzmq perf/remote_thr.cpp's server public key. */
    static final String LIBZMQ_SERVER_PUBLIC = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";

    private PerfCurve() {
    }

    /** The server's key pair from {@code env}, or libzmq's perf pair. */
    static CurveKeyPair serverKeys(Map<String, String> env) {
        var secret = env.get("ZMQ_PERF_SERVER_SECRET");
        var pair = CurveKeyPair.fromSecretKey(secret != null ? secret : LIBZMQ_SERVER_SECRET);
        var publicKey = env.get("ZMQ_PERF_SERVER_PUBLIC");
        if (publicKey != null && secret != null && !publicKey.equals(pair.publicKeyZ85())) {
            throw new PerfCommand.UsageException("ZMQ_PERF_SERVER_PUBLIC is not the public key of ZMQ_PERF_SERVER_SECRET");
        }
        return pair;
    }

    /** The server's public key a client uses: ZMQ_PERF_SERVER_PUBLIC, else derived from the secret, else libzmq's. */
    static byte[] serverPublicKey(Map<String, String> env) {
        var publicKey = env.get("ZMQ_PERF_SERVER_PUBLIC");
        if (publicKey != null) {
            return CurveKeyPair.decodeKey(publicKey, "ZMQ_PERF_SERVER_PUBLIC");
        }
        return serverKeys(env).publicKey();
    }

    static void server(PerfZmq.Socket socket, Map<String, String> env) {
        socket.curveServer(serverKeys(env).secretKey());
    }

    static void client(PerfZmq.Socket socket, Map<String, String> env) {
        var own = CurveKeyPair.generate();
        socket.curveClient(serverPublicKey(env), own.publicKey(), own.secretKey());
    }
}
