package dev.zmq.security;

import java.util.Map;
import java.util.Objects;

/**
 * A ZAP handler's answer (RFC 27).
 *
 * @param statusCode 200 (accepted), 300 (temporary failure: the client is dropped silently),
 *        400 (authentication failure) or 500 (internal error); 400 and 500 are sent to the client
 *        in an ERROR command, and every refusal shows on the server's monitor as
 *        HANDSHAKE_FAILED_AUTH with this value
 * @param statusText an explanation (logs only; not sent to the client)
 * @param userId for 200: the authenticated user, given to the application as the
 *        {@code User-Id} property of each message from this client
 * @param metadata for 200: more properties for the client's messages (ASCII names, string values)
 */
public record ZapReply(int statusCode, String statusText, String userId, Map<String, String> metadata) {

    public ZapReply {
        if (statusCode != 200 && statusCode != 300 && statusCode != 400 && statusCode != 500) {
            throw new IllegalArgumentException("ZAP status code must be 200, 300, 400 or 500, got " + statusCode);
        }
        statusText = Objects.requireNonNullElse(statusText, "");
        userId = Objects.requireNonNullElse(userId, "");
        metadata = Map.copyOf(Objects.requireNonNullElse(metadata, Map.of()));
    }

    /** 200 with a user id. */
    public static ZapReply allow(String userId) {
        return new ZapReply(200, "OK", userId, Map.of());
    }

    /** 200 with a user id and metadata. */
    public static ZapReply allow(String userId, Map<String, String> metadata) {
        return new ZapReply(200, "OK", userId, metadata);
    }

    /** 400: authentication failed. */
    public static ZapReply deny(String reason) {
        return new ZapReply(400, reason, "", Map.of());
    }

    /** 300: temporary failure, the client is dropped without an ERROR. */
    public static ZapReply temporaryFailure(String reason) {
        return new ZapReply(300, reason, "", Map.of());
    }

    /** 500: the handler could not decide. */
    public static ZapReply internalError(String reason) {
        return new ZapReply(500, reason, "", Map.of());
    }

    public boolean allowed() {
        return statusCode == 200;
    }
}
