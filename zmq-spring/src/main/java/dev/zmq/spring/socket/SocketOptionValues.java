package dev.zmq.spring.socket;

import dev.zmq.SocketOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.springframework.util.unit.DataSize;

/**
 * Converts option values written in configuration into the typed values of {@link SocketOption}:
 * durations for times (in the option's unit), data sizes for byte counts, numbers, booleans and
 * byte strings for the rest.
 */
public final class SocketOptionValues {
    /** Connection timeouts, in milliseconds (kept apart from MILLIS only to ease merges). */
    private static final Set<String> CONNECT_MILLIS = Set.of("CONNECT_TIMEOUT");
    private static final Set<String> MILLIS = Set.of("LINGER", "RECONNECT_IVL", "RECONNECT_IVL_MAX", "SNDTIMEO",
            "RCVTIMEO", "HANDSHAKE_IVL", "HEARTBEAT_IVL", "HEARTBEAT_TTL", "HEARTBEAT_TIMEOUT",
            "RECOVERY_IVL", "RESOLVE_IVL");
    private static final Set<String> SECONDS = Set.of("TCP_KEEPALIVE_IDLE", "TCP_KEEPALIVE_INTVL");
    private static final Set<String> BYTES = Set.of("SNDBUF", "RCVBUF", "MAXMSGSIZE", "MAX_MULTIPART_SIZE");

    /** How an option is written in configuration. */
    public enum Kind {
        DURATION_MILLIS("a duration such as 500ms or 2s (a bare number is milliseconds)"),
        DURATION_SECONDS("a duration such as 30s or 2m (a bare number is seconds)"),
        DATA_SIZE("a data size such as 64KB or 1MB (a bare number is bytes)"),
        INTEGER("an integer"),
        LONG("an integer"),
        BOOLEAN("true or false"),
        BYTES("a string (UTF-8) or 0x followed by hex digits"),
        READ_ONLY("nothing: the option is read-only");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private SocketOptionValues() {
    }

    public static Kind kindOf(SocketOption<?> option) {
        if (option.isReadOnly()) {
            return Kind.READ_ONLY;
        }
        var name = option.name();
        if (MILLIS.contains(name) || CONNECT_MILLIS.contains(name)) {
            return Kind.DURATION_MILLIS;
        }
        if (SECONDS.contains(name)) {
            return Kind.DURATION_SECONDS;
        }
        if (BYTES.contains(name)) {
            return Kind.DATA_SIZE;
        }
        var type = option.type();
        if (type == Integer.class) {
            return Kind.INTEGER;
        }
        if (type == Long.class) {
            return Kind.LONG;
        }
        if (type == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (type == byte[].class) {
            return Kind.BYTES;
        }
        return Kind.READ_ONLY;
    }

    /**
     * Converts {@code raw} to the option's value type (range is checked by the option itself).
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public static Object convert(SocketOption<?> option, String raw) {
        var kind = kindOf(option);
        var text = raw == null ? "" : raw.trim();
        try {
            Object value = switch (kind) {
                case DURATION_MILLIS -> isInfinite(text) ? -1L : Durations.parse(text, ChronoUnit.MILLIS).toMillis();
                case DURATION_SECONDS -> isInfinite(text) ? -1L : Durations.parse(text, ChronoUnit.SECONDS).toSeconds();
                case DATA_SIZE -> text.equals("-1") ? -1L : DataSize.parse(text).toBytes();
                case INTEGER, LONG -> Long.parseLong(text);
                case BOOLEAN -> parseBoolean(text);
                case BYTES -> text.startsWith("0x") ? HexFormat.of().parseHex(text.substring(2)) : text.getBytes(StandardCharsets.UTF_8);
                case READ_ONLY -> throw new IllegalArgumentException("option " + option.name() + " is read-only and cannot be set");
            };
            if (value instanceof Long l && option.type() == Integer.class) {
                if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(option.name() + " is out of range: " + raw);
                }
                return l.intValue();
            }
            return value;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            if (e.getMessage() != null && e.getMessage().contains(option.name())) {
                throw e;
            }
            throw new IllegalArgumentException("option " + option.name() + " takes " + kind.description() + ", got '" + raw + "'", e);
        }
    }

    /** Converts a {@link Duration} given in code (annotation or customizer helpers) for a time option. */
    public static int millis(Duration duration) {
        return duration == null ? -1 : (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static boolean isInfinite(String text) {
        return text.equals("-1") || text.toLowerCase(Locale.ROOT).equals("infinite");
    }

    private static boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean: " + text);
        };
    }
}
