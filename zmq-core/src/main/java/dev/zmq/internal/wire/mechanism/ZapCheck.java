package dev.zmq.internal.wire.mechanism;

import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asks the ZAP handler about a peer, as libzmq's zap_client_t: 200 continues the handshake,
 * 300 drops the peer silently, 400 and 500 send it an ERROR with the status code first; each
 * refusal is reported as HANDSHAKE_FAILED_AUTH with the status code.
 */
final class ZapCheck {
    private final ZapSettings settings;
    private ZapRequester.Pending pending;
    private Map<String, String> properties = Map.of();

    ZapCheck(ZapSettings settings) {
        this.settings = settings;
    }

    /**
     * Sends the request and returns true, or returns false at once if no handler is bound. When
     * the handler accepts, {@code onAccepted} runs on the connection's I/O thread.
     */
    boolean ask(Handshake handshake, String mechanism, List<byte[]> credentials, Handshake.Step onAccepted) {
        if (!handshake.zap().handlerPresent()) {
            return false;
        }
        pending = handshake.zap().request(settings.domain(), handshake.peerIp(), settings.routingId(), mechanism, credentials,
                outcome -> handshake.resume(() -> answered(outcome, handshake, onAccepted)));
        return true;
    }

    private void answered(ZapRequester.Outcome outcome, Handshake handshake, Handshake.Step onAccepted) throws ZmtpProtocolException {
        pending = null;
        if (outcome instanceof ZapRequester.Failure failure) {
            throw new ZmtpProtocolException(failure.protocolError(), failure.reason());
        }
        var reply = (ZapRequester.Reply) outcome;
        if (reply.ok()) {
            var props = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
            props.put("User-Id", reply.userId());
            reply.metadata().forEach(props::putIfAbsent);
            properties = Collections.unmodifiableMap(props);
            onAccepted.run();
            return;
        }
        int status = Integer.parseInt(reply.statusCode());
        if (status != 300) {
            // RFC 27 / libzmq: a temporary failure (300) closes without a word; others say why.
            handshake.send(Command.error(reply.statusCode()));
        }
        throw ZmtpProtocolException.auth(status, "ZAP handler refused the peer: " + reply.statusCode()
                + (reply.statusText().isEmpty() ? "" : " " + reply.statusText()));
    }

    /** User-Id and ZAP metadata once accepted. */
    Map<String, String> properties() {
        return properties;
    }

    void cancel() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }
}
