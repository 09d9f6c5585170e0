package io.gpuplacer.service.ledger;

import io.gpuplacer.service.config.SettingLists;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * What one GPU of a model draws idle, from configuration ({@code gpuplacer.ledger.gpu-idle-watts}, a list so that
 * model names keep their case). The ledger takes a task's measured GPU power only for models listed here: the
 * measured draw includes the GPUs' idle draw, which the node's baseWatts already count, so it is taken less that.
 * No defaults: no bundled source gives idle figures (the power table has TDPs only).
 */
@Singleton
public class GpuIdleWatts {

    private final Map<String, Double> watts = new HashMap<>();

    public GpuIdleWatts(SettingLists lists) {
        lists.gpuIdleWatts().forEach(c -> watts.put(c.gpuModel(), c.watts()));
    }

    /** One idle GPU's watts for the model, or null when none is configured (power is then modelled). */
    public Double of(String gpuModel) {
        return gpuModel == null ? null : watts.get(gpuModel);
    }

    public Map<String, Double> all() {
        return Map.copyOf(watts);
    }
}
