package io.gpuplacer.service.config;

import io.micronaut.core.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@code gpuplacer.signals.sources}: which signal of which grid zone (or spot pool) comes from which
 * provider, with the provider's settings. Kept as text here: the signals' reader checks each entry against its
 * provider and names what is wrong ({@code SourceSpec}).
 *
 * @param index the entry's place in the list
 */
public record SignalSource(int index, @Nullable String zone, @Nullable String pool,
                           @Nullable String signal, @Nullable String provider, @Nullable String url,
                           @Nullable String path, @Nullable String token, @Nullable String username,
                           @Nullable String password, @Nullable String region, @Nullable String regionId,
                           @Nullable String instanceType, @Nullable String os, @Nullable String providerZone,
                           @Nullable String signalType, @Nullable String interruptionPerHour) {

    public static final String LIST = "gpuplacer.signals.sources";

    /** The entry's settings by their configured (kebab-case) names, the absent ones left out. */
    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "zone", zone);
        put(out, "pool", pool);
        put(out, "signal", signal);
        put(out, "provider", provider);
        put(out, "url", url);
        put(out, "path", path);
        put(out, "token", token);
        put(out, "username", username);
        put(out, "password", password);
        put(out, "region", region);
        put(out, "region-id", regionId);
        put(out, "instance-type", instanceType);
        put(out, "os", os);
        put(out, "provider-zone", providerZone);
        put(out, "signal-type", signalType);
        put(out, "interruption-per-hour", interruptionPerHour);
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    /** Without the password and token: what a log line or an error may show. */
    @Override
    public String toString() {
        return "SignalSource[" + index + ": " + zone + (pool == null ? "" : "/" + pool) + " " + signal + " from "
                + provider + "]";
    }
}
