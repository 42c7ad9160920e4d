package dev.zmq.spring.socket;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Durations as configuration writes them, the forms Spring Boot accepts: {@code 500ms}, {@code 2s},
 * {@code 1m} (units ns, us, ms, s, m, h, d), a bare number in the caller's unit, or ISO-8601
 * ({@code PT2S}). Written here so that the library needs no Spring Boot.
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");
    private static final Pattern ISO = Pattern.compile("^[+-]?[pP].*$");
    private static final Map<String, ChronoUnit> UNITS = Map.of("ns", ChronoUnit.NANOS, "us", ChronoUnit.MICROS,
            "ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

    private Durations() {
    }

    /** The duration {@code text} says; a bare number is in {@code unit}. */
    public static Duration parse(String text, ChronoUnit unit) {
        var matcher = SIMPLE.matcher(text);
        if (matcher.matches()) {
            var suffix = matcher.group(2).toLowerCase(Locale.ROOT);
            var chosen = suffix.isEmpty() ? unit : UNITS.get(suffix);
            if (chosen == null) {
                throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + suffix + "' (use ns, us, ms, s, m, h or d)");
            }
            return Duration.of(Long.parseLong(matcher.group(1)), chosen);
        }
        if (ISO.matcher(text).matches()) {
            return Duration.parse(text);
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration (write 500ms, 2s, 1m or PT2S)");
    }
}
