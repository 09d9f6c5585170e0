package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code gpuplacer.capacity.*}: capacity planning on the service's own ledger ({@code GET /v1/capacity/plan},
 * docs/capacity.md).
 *
 * @param catalogueFile the node types one can buy (JSON); empty: no plan is served
 * @param growthFile    announced growth (JSON); empty: none
 * @param historyWeeks  the weeks of the ledger's history the forecast rests on (1..104)
 * @param carbonPrice   USD per tonne of CO2e the choice of node types counts (0..10000)
 */
@ConfigurationProperties("gpuplacer.capacity")
public record CapacitySettings(
        @Bindable(defaultValue = "") String catalogueFile,
        @Bindable(defaultValue = "") String growthFile,
        @Bindable(defaultValue = "12")
        @Min(value = 1, message = "gpuplacer.capacity.history-weeks (GPUPLACER_CAPACITY_HISTORY_WEEKS) must be 1..104")
        @Max(value = 104, message = "gpuplacer.capacity.history-weeks (GPUPLACER_CAPACITY_HISTORY_WEEKS) must be "
                + "1..104")
        int historyWeeks,
        @Bindable(defaultValue = "0")
        @DecimalMin(value = "0", message = "gpuplacer.capacity.carbon-price (GPUPLACER_CAPACITY_CARBON_PRICE) must be "
                + "0..10000 USD per tonne")
        @DecimalMax(value = "10000", message = "gpuplacer.capacity.carbon-price (GPUPLACER_CAPACITY_CARBON_PRICE) must "
                + "be 0..10000 USD per tonne")
        double carbonPrice) {
}
