package io.gpuplacer.service.kubernetes;

import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.micronaut.context.env.Environment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gpuplacer.kubernetes.*} read into the connector's {@link SnapshotSettings}: zones, node types and GPU models
 * as lists (so that their ids keep their case), e.g.
 * <pre>
 * zones:      [{ topology-zone: eu-central-1a, zone: DE-LU, pue: 1.2 }]
 * node-types: [{ type: p5.48xlarge, cost-per-hour: 98.32, base-watts: 1800, gpu-busy-watts: 630 }]
 * gpu-models: [{ product: NVIDIA-H100-80GB-HBM3, model: H100-80GB }]
 * </pre>
 * A mistake stops the start with the entry and key named.
 */
public final class KubernetesSettings {

    static final String PREFIX = "gpuplacer.kubernetes";

    private KubernetesSettings() {
    }

    public static SnapshotSettings read(Environment env) {
        Map<String, SnapshotSettings.Zone> zones = new HashMap<>();
        for (Entry e : entries(env, "zones")) {
            zones.put(e.text("topology-zone"), new SnapshotSettings.Zone(e.text("zone"), e.number("pue", 1, 10, null)));
        }
        Map<String, SnapshotSettings.NodeFacts> facts = new HashMap<>();
        for (Entry e : entries(env, "node-types")) {
            facts.put(e.text("type"), new SnapshotSettings.NodeFacts(e.number("cost-per-hour", 0, 10_000, null),
                    e.number("base-watts", 0, 1_000_000, null), e.number("gpu-busy-watts", 0, 10_000, null),
                    Boolean.parseBoolean(e.optional("always-on", "false"))));
        }
        Map<String, String> models = new HashMap<>();
        for (Entry e : entries(env, "gpu-models")) {
            models.put(e.text("product"), e.text("model"));
        }
        String rack = env.getProperty(PREFIX + ".rack-label", String.class, SnapshotSettings.RACK_LABEL);
        String block = env.getProperty(PREFIX + ".block-label", String.class, SnapshotSettings.BLOCK_LABEL);
        String team = env.getProperty(PREFIX + ".team-label", String.class, SnapshotSettings.TEAM_LABEL);
        return new SnapshotSettings(Map.copyOf(zones), rack, block, Map.copyOf(facts), Map.copyOf(models), team, 24);
    }

    /** One entry of a list, with the key names of the configuration. */
    private record Entry(String where, Map<?, ?> values) {
        String optional(String key, String fallback) {
            Object v = values.containsKey(key) ? values.get(key) : values.get(camel(key));
            return v == null || v.toString().isBlank() ? fallback : v.toString().strip();
        }

        String text(String key) {
            String v = optional(key, null);
            if (v == null) {
                throw new IllegalArgumentException(where + "." + key + ": missing");
            }
            return v;
        }

        double number(String key, double min, double max, Double fallback) {
            String v = optional(key, null);
            if (v == null && fallback != null) {
                return fallback;
            }
            if (v == null) {
                throw new IllegalArgumentException(where + "." + key + ": missing");
            }
            try {
                double d = Double.parseDouble(v);
                if (d >= min && d <= max) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            throw new IllegalArgumentException(where + "." + key + ": \"" + v + "\" must be a number of " + min + ".."
                    + max);
        }

        private static String camel(String kebab) {
            StringBuilder out = new StringBuilder();
            boolean up = false;
            for (char c : kebab.toCharArray()) {
                if (c == '-') {
                    up = true;
                } else {
                    out.append(up ? Character.toUpperCase(c) : c);
                    up = false;
                }
            }
            return out.toString();
        }
    }

    private static List<Entry> entries(Environment env, String list) {
        List<?> raw = env.getProperty(PREFIX + "." + list, List.class).orElse(List.of());
        List<Entry> out = new java.util.ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String where = PREFIX + "." + list + "[" + i + "]";
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(where + ": must be a map");
            }
            out.add(new Entry(where, m));
        }
        return out;
    }
}
