package io.gpuplacer.service.config;

import io.micronaut.core.annotation.Nullable;

/**
 * One entry of {@code gpuplacer.kubernetes.gpu-models}: the model name jobs use for a GPU Feature Discovery
 * {@code nvidia.com/gpu.product} (a product not listed keeps its name).
 *
 * @param index   the entry's place in the list
 * @param product the label's value, e.g. NVIDIA-H100-80GB-HBM3
 * @param model   the model name, e.g. H100-80GB
 */
public record GpuModelName(int index, @Nullable String product, @Nullable String model) {

    public static final String LIST = "gpuplacer.kubernetes.gpu-models";

    public GpuModelName {
        String where = LIST + "[" + index + "]";
        product = ListEntries.required(where, "product", product);
        model = ListEntries.required(where, "model", model);
    }
}
