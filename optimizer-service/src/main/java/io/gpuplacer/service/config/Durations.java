package io.gpuplacer.service.config;

import java.time.Duration;
import java.util.Locale;

/** Range checks for the settings' durations, naming the key and its environment variable. */
final class Durations {

    private Durations() {
    }

    /** The environment variable Micronaut reads for a key ({@code gpuplacer.http.header-timeout}: GPUPLACER_HTTP_HEADER_TIMEOUT). */
    static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value, when it lies within [min, max]; else a start-up error naming the key. */
    static Duration within(String key, Duration value, String min, String max) {
        Duration lo = parse(min);
        Duration hi = parse(max);
        if (value == null || value.compareTo(lo) < 0 || value.compareTo(hi) > 0) {
            throw new IllegalArgumentException(key + " (" + env(key) + "): " + (value == null ? "missing"
                    : value.toMillis() + " ms") + "; must be " + min + ".." + max);
        }
        return value;
    }

    private static Duration parse(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("a bound like 100ms, 30s, 5m, 1h or 30d: " + text);
        };
    }
}
