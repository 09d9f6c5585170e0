package io.gpuplacer.service.config;

import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code gpuplacer.ledger.embodied.hardware}: kg CO2e of manufacturing per GPU and per node (its
 * server share without the GPUs) of a GPU model ({@code none} for CPU-only nodes).
 *
 * @param index    the entry's place in the list
 * @param gpuModel the GPU model, or {@code none}
 * @param gpuKg    kg CO2e per GPU (0..1000000; default 0)
 * @param nodeKg   kg CO2e per node (0..1000000; default 0)
 */
public record EmbodiedHardware(int index, @Nullable String gpuModel, @Nullable Double gpuKg,
                               @Nullable Double nodeKg) {

    public static final String LIST = "gpuplacer.ledger.embodied.hardware";

    public EmbodiedHardware {
        String where = LIST + "[" + index + "]";
        gpuModel = ListEntries.required(where, "gpu-model", gpuModel);
        gpuKg = ListEntries.within(where, "gpu-kg", gpuKg, 0, 1_000_000, 0.0);
        nodeKg = ListEntries.within(where, "node-kg", nodeKg, 0, 1_000_000, 0.0);
    }
}
