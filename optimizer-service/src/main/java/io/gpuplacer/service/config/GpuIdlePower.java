package io.gpuplacer.service.config;

import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code gpuplacer.ledger.gpu-idle-watts}: what one idle GPU of a model draws.
 *
 * @param index    the entry's place in the list
 * @param gpuModel the GPU model
 * @param watts    watts (0..2000)
 */
public record GpuIdlePower(int index, @Nullable String gpuModel, @Nullable Double watts) {

    public static final String LIST = "gpuplacer.ledger.gpu-idle-watts";

    public GpuIdlePower {
        String where = LIST + "[" + index + "]";
        gpuModel = ListEntries.required(where, "gpu-model", gpuModel);
        watts = ListEntries.within(where, "watts", watts, 0, 2000, null);
    }
}
