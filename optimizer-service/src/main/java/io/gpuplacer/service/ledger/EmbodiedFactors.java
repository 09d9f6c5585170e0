package io.gpuplacer.service.ledger;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Embodied emissions, as an option: kg CO2e of manufacturing per GPU and per node (its server share without the
 * GPUs), by the node's GPU model ({@code none} for CPU-only nodes), written off over a lifespan. Configured as a
 * list (so that model names keep their case) under {@code gpuplacer.ledger.embodied.hardware}; none configured:
 * no embodied emissions are recorded. A node's embodied kg per hour is split among its rows like its base watts.
 */
@Singleton
public class EmbodiedFactors {

    public static final String PROPERTY = "gpuplacer.ledger.embodied.hardware";

    private final Map<String, double[]> factors = new HashMap<>();
    private final double lifespanYears;

    public EmbodiedFactors(Environment environment,
                           @Value("${gpuplacer.ledger.embodied.lifespan-years:5}") double lifespanYears) {
        if (!(lifespanYears > 0 && lifespanYears <= 50)) {
            throw new IllegalArgumentException("gpuplacer.ledger.embodied.lifespan-years: " + lifespanYears
                    + " must be more than 0 and at most 50");
        }
        this.lifespanYears = lifespanYears;
        List<?> entries = environment.getProperty(PROPERTY, List.class).orElse(List.of());
        for (int i = 0; i < entries.size(); i++) {
            String where = PROPERTY + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException(where + ": must be a map like { gpu-model: H100-80GB, gpu-kg: "
                        + "150, node-kg: 1200 }");
            }
            Object model = e.containsKey("gpu-model") ? e.get("gpu-model") : e.get("gpuModel");
            if (model == null || model.toString().isBlank()) {
                throw new IllegalArgumentException(where + ".gpu-model: missing (none for CPU-only nodes)");
            }
            double gpuKg = kg(where, "gpu-kg", e.containsKey("gpu-kg") ? e.get("gpu-kg") : e.get("gpuKg"));
            double nodeKg = kg(where, "node-kg", e.containsKey("node-kg") ? e.get("node-kg") : e.get("nodeKg"));
            factors.put(model.toString(), new double[]{gpuKg, nodeKg});
        }
    }

    private static double kg(String where, String key, Object value) {
        if (value == null) {
            return 0;
        }
        try {
            double kg = Double.parseDouble(value.toString());
            if (kg >= 0 && kg <= 1_000_000) {
                return kg;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(where + "." + key + ": \"" + value + "\" must be kg CO2e, 0..1000000");
    }

    public boolean configured() {
        return !factors.isEmpty();
    }

    /** kg CO2e per hour a node of this GPU model (and count) is on: its hardware over the lifespan. */
    public double kgPerHour(String gpuModel, int gpuCount) {
        double[] f = factors.get(gpuModel == null || gpuModel.isEmpty() ? "none" : gpuModel);
        return f == null ? 0 : (gpuCount * f[0] + f[1]) / (lifespanYears * 8760);
    }

    public double lifespanYears() {
        return lifespanYears;
    }

    public Map<String, double[]> factors() {
        return Map.copyOf(factors);
    }
}
