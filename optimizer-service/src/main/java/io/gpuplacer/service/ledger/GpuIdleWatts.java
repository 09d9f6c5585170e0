package io.gpuplacer.service.ledger;

import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one GPU of a model draws idle, from configuration ({@code gpuplacer.ledger.gpu-idle-watts}, a list so that
 * model names keep their case). The ledger takes a task's measured GPU power only for models listed here: the
 * measured draw includes the GPUs' idle draw, which the node's baseWatts already count, so it is taken less that.
 * No defaults: no bundled source gives idle figures (the power table has TDPs only).
 */
@Singleton
public class GpuIdleWatts {

    public static final String PROPERTY = "gpuplacer.ledger.gpu-idle-watts";
    private final Map<String, Double> watts = new HashMap<>();

    public GpuIdleWatts(Environment environment) {
        List<?> entries = environment.getProperty(PROPERTY, List.class).orElse(List.of());
        for (int i = 0; i < entries.size(); i++) {
            String where = PROPERTY + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException(where + ": must be a map like { gpu-model: H100-80GB, watts: 70 }");
            }
            Object model = e.containsKey("gpu-model") ? e.get("gpu-model") : e.get("gpuModel");
            if (model == null || model.toString().isBlank()) {
                throw new IllegalArgumentException(where + ".gpu-model: missing");
            }
            Object w = e.get("watts");
            double value;
            try {
                value = w == null ? Double.NaN : Double.parseDouble(w.toString());
            } catch (NumberFormatException ex) {
                value = Double.NaN;
            }
            if (!(value >= 0 && value <= 2000)) {
                throw new IllegalArgumentException(where + ".watts: \"" + w + "\" must be watts, 0..2000");
            }
            watts.put(model.toString(), value);
        }
    }

    /** One idle GPU's watts for the model, or null when none is configured (power is then modelled). */
    public Double of(String gpuModel) {
        return gpuModel == null ? null : watts.get(gpuModel);
    }

    public Map<String, Double> all() {
        return Map.copyOf(watts);
    }
}
