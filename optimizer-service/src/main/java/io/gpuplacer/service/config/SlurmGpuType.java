package io.gpuplacer.service.config;

import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code gpuplacer.slurm.gpu-models}: the GPU model jobs use for a GRES type of slurm.conf (a type not
 * listed keeps its name).
 *
 * @param index the entry's place in the list
 * @param type  the GRES type, e.g. a100 in {@code Gres=gpu:a100:8}
 * @param model the model name, e.g. A100-80GB
 */
public record SlurmGpuType(int index, @Nullable String type, @Nullable String model) {

    public static final String LIST = "gpuplacer.slurm.gpu-models";

    public SlurmGpuType {
        String where = LIST + "[" + index + "]";
        type = ListEntries.required(where, "type", type);
        model = ListEntries.required(where, "model", model);
    }
}
