package dev.zmq.internal.engine;

import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.wire.Decoder;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.Greeting;
import dev.zmq.internal.wire.V1FrameDecoder;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.Mechanism;
import java.nio.ByteBuffer;

/**
 * The first stage of a connection: the greeting, and the ZMTP revision the peer speaks. As libzmq,
 * only our 10-byte signature goes out first; the peer's first bytes are read one at a time until
 * its revision is known (RFC 15's detection), and the rest of our greeting depends on it: the
 * whole ZMTP 3.x greeting, or the downgrade to ZMTP 2.0 (socket type and identity frame) or 1.0
 * (an identity frame). It ends with what the next stage needs: {@link Zmtp3} or {@link Legacy}.
 */
final class GreetingStage {
    /** What the peer's greeting said: which handshake follows. */
    sealed interface Outcome permits Zmtp3, Legacy {
    }

    /** A ZMTP 3.x peer with our mechanism: the security handshake follows. */
    record Zmtp3(Greeting greeting) implements Outcome {
    }

    /**
     * A ZMTP 1.0 or 2.0 peer: its identity frame follows, read by {@code decoder} (our side of the
     * downgrade is already written), and it is taken to be of {@code peerType}.
     *
     * @param firstBytes bytes of the peer's first frame read as greeting (ZMTP 1.0), to decode first; null if none
     */
    record Legacy(SocketType peerType, Decoder decoder, ByteBuffer firstBytes) implements Outcome {
    }

    private final ZmtpEngine engine;
    private final SocketType ourType;
    private final Mechanism mechanism;
    private final FrameEncoder encoder;
    private final FrameDecoder.Sink frames;
    private final long maxFrameBytes;
    private final byte[] routingId;
    private final ByteBuffer peer = ByteBuffer.allocate(Greeting.SIZE);

    GreetingStage(ZmtpEngine engine, EngineSettings settings, FrameEncoder encoder, FrameDecoder.Sink frames, byte[] routingId) {
        this.engine = engine;
        this.ourType = settings.socketType();
        this.mechanism = settings.mechanism();
        this.maxFrameBytes = settings.maxFrameBytes();
        this.encoder = encoder;
        this.frames = frames;
        this.routingId = routingId;
    }

    /** Our first bytes: the signature (as libzmq: the head of an identity frame, for ZMTP 1.0 peers). */
    void start(ByteBuffer out) {
        out.put(Greeting.signature(routingId.length));
    }

    /**
     * Reads the peer's greeting from {@code in} a byte at a time, sending the rest of ours as its
     * revision becomes known. Returns null while the revision is not known (all of {@code in} read),
     * else what follows; the bytes of {@code in} after the greeting are then the next stage's.
     * A first byte other than 0xFF, or bit 0 of the 10th clear, is ZMTP 1.0; revision 0 or 1
     * after the signature is ZMTP 2.0-style; 3 and above is ZMTP 3.x.
     */
    Outcome read(ByteBuffer in) throws ZmtpProtocolException {
        while (in.hasRemaining()) {
            peer.put(in.get());
            int pos = peer.position();
            if (pos == 1 && (peer.get(0) & 0xFF) != 0xFF) {
                return downgradeToZmtp10();
            }
            if (pos == 10) {
                if ((peer.get(9) & 0x01) == 0) {
                    return downgradeToZmtp10();
                }
                engine.out().put((byte) Greeting.OUR_MAJOR);
                engine.flush();
            } else if (pos == Greeting.SIGNATURE_AND_MAJOR && (peer.get(10) & 0xFF) >= 3) {
                engine.out().put(Greeting.tail(mechanism.name(), mechanism.asServer()));
                engine.flush();
            } else if (pos == 12 && (peer.get(10) & 0xFF) < 3) {
                return downgradeToZmtp20(peer.get(10) & 0xFF, peer.get(11) & 0xFF);
            } else if (pos == Greeting.SIZE) {
                return zmtp3();
            }
        }
        return null;
    }

    private Outcome zmtp3() throws ZmtpProtocolException {
        var greeting = Greeting.decode(peer);
        if (!greeting.mechanism().equals(mechanism.name())) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MECHANISM_MISMATCH, "peer uses the "
                    + greeting.mechanism() + " mechanism, this socket uses " + mechanism.name());
        }
        // The peer's as-server flag is not checked: libzmq 4.3.4 sends 0 even as a PLAIN server (seen
        // on the wire), and decides roles from its own options; so do we.
        return new Zmtp3(greeting);
    }

    /** ZMTP 1.0: our 10 bytes were the head of an identity frame; its body follows, then 1.0 framing. */
    private Outcome downgradeToZmtp10() throws ZmtpProtocolException {
        if (!mechanism.name().equals("NULL")) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MECHANISM_MISMATCH,
                    "peer speaks ZMTP 1.0, which has no security; this socket requires " + mechanism.name());
        }
        var peerType = assumedPeerType();
        if (peerType == null) {
            throw new ZmtpProtocolException("peer speaks ZMTP 1.0, which a " + ourType + " socket cannot speak (ZMTP 3 only)");
        }
        engine.out().put(routingId);
        encoder.setZmtp10();
        peer.flip(); // the bytes read so far were already the peer's first frame
        return new Legacy(peerType, new V1FrameDecoder(frames, maxFrameBytes), peer);
    }

    /** ZMTP 2.0 (RFC 15): socket type octet and an identity frame, then 2.0 (or, for revision 0, 1.0) framing. */
    private Outcome downgradeToZmtp20(int revision, int typeCode) throws ZmtpProtocolException {
        if (!mechanism.name().equals("NULL")) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MECHANISM_MISMATCH,
                    "peer speaks ZMTP 2.0, which has no security; this socket requires " + mechanism.name());
        }
        var peerType = Greeting.fromZmtp20TypeCode(typeCode);
        if (peerType == null || !ourType.isCompatibleWith(peerType)) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA,
                    "ZMTP 2.0 peer of socket type " + typeCode + " cannot talk to a " + ourType + " socket");
        }
        var out = engine.out();
        out.put((byte) Greeting.zmtp20TypeCode(ourType));
        Decoder decoder;
        if (revision == 0) {
            encoder.setZmtp10();
            decoder = new V1FrameDecoder(frames, maxFrameBytes);
        } else {
            var v2 = new FrameDecoder(frames);
            v2.setZmtp20();
            v2.wholeDataFrames(false); // the identity frame is the handshake's; see ZmtpEngine.handshakeDone
            v2.setMaxDataFrame(maxFrameBytes);
            decoder = v2;
        }
        encoder.start(new byte[][] {routingId}, false);
        encoder.encode(out);
        return new Legacy(peerType, decoder, null);
    }

    /** ZMTP 1.0 does not say the peer's socket type: assume the natural peer of ours (null: none can speak 1.0). */
    private SocketType assumedPeerType() {
        return switch (ourType) {
            case PAIR -> SocketType.PAIR;
            case PUB, XPUB -> SocketType.SUB;
            case SUB, XSUB -> SocketType.PUB;
            case REQ -> SocketType.REP;
            case REP -> SocketType.REQ;
            case DEALER, ROUTER -> SocketType.DEALER;
            case PULL -> SocketType.PUSH;
            case PUSH -> SocketType.PULL;
            default -> null; // STREAM speaks no ZMTP; the draft types need ZMTP 3
        };
    }
}
