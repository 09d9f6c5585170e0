package io.gpuplacer.service.signals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code gpuplacer.signals.sources}: which signal of which zone (for spot risk: which pool) comes from
 * which provider, with the provider's settings (url, path, token, ...). Kept as a list in the configuration so that
 * zone ids keep their case. Settings are read in kebab case ({@code provider-zone}) or camel case
 * ({@code providerZone}).
 *
 * @param where  how the configuration names the entry, e.g. {@code gpuplacer.signals.sources[2]}
 * @param target the grid zone (carbon, price) or the spot pool (spot)
 */
public record SourceSpec(String where, Signal signal, String target, String provider, Map<String, String> settings) {

    public enum Signal {
        CARBON("uk-carbon-intensity", "electricitymaps", "watttime"),
        PRICE("price-file", "csv", "json"),
        SPOT("aws-spot-advisor", "fixed");

        final List<String> providers;

        Signal(String... providers) {
            this.providers = List.of(providers);
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The source's identity in the status, the metrics and the fetch table: zone (or pool), signal, provider. */
    public String key() {
        return target + "/" + signal.id() + "/" + provider;
    }

    /** A setting, or null when absent or blank. */
    public String setting(String kebab) {
        String value = settings.get(kebab);
        return value == null || value.isBlank() ? null : value;
    }

    /** A setting the provider needs. */
    public String required(String kebab) {
        String value = setting(kebab);
        if (value == null) {
            throw new IllegalArgumentException(where + "." + kebab + ": missing; provider " + provider + " needs it");
        }
        return value;
    }

    /** Reads one configured entry; a mistake names the entry, the key and what would be valid. */
    public static SourceSpec parse(String where, Map<?, ?> raw) {
        Map<String, String> settings = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v != null && !(v instanceof Map) && !(v instanceof List)) {
                settings.put(kebab(String.valueOf(k)), String.valueOf(v).strip());
            }
        });
        String signalText = settings.get("signal");
        Signal signal = null;
        for (Signal s : Signal.values()) {
            if (s.id().equalsIgnoreCase(signalText == null ? "" : signalText)) {
                signal = s;
            }
        }
        if (signal == null) {
            throw new IllegalArgumentException(where + ".signal: " + (signalText == null ? "missing"
                    : "\"" + signalText + "\" is not a signal") + "; valid: carbon, price, spot");
        }
        String provider = settings.get("provider");
        if (provider == null || !signal.providers.contains(provider)) {
            throw new IllegalArgumentException(where + ".provider: " + (provider == null ? "missing"
                    : "\"" + provider + "\" is not a " + signal.id() + " provider") + "; valid: "
                    + String.join(", ", signal.providers));
        }
        String targetKey = signal == Signal.SPOT ? "pool" : "zone";
        String target = settings.get(targetKey);
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException(where + "." + targetKey + ": missing; a " + signal.id()
                    + " source names the " + (signal == Signal.SPOT ? "spot pool (the nodes' \"pool\")" : "grid zone")
                    + " it is for");
        }
        return new SourceSpec(where, signal, target, provider, Map.copyOf(settings));
    }

    /** Reads the whole list; two entries for the same zone, signal and provider are a mistake. */
    public static List<SourceSpec> parseAll(String prefix, List<?> raw) {
        List<SourceSpec> out = new java.util.ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String where = prefix + "[" + i + "]";
            if (!(raw.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException(where + ": must be a map like { zone: GB, signal: carbon, "
                        + "provider: uk-carbon-intensity }, not " + raw.get(i));
            }
            SourceSpec spec = parse(where, entry);
            for (SourceSpec other : out) {
                if (other.key().equals(spec.key())) {
                    throw new IllegalArgumentException(where + ": " + spec.key() + " is configured twice (also "
                            + other.where() + ")");
                }
            }
            out.add(spec);
        }
        return List.copyOf(out);
    }

    private static String kebab(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
