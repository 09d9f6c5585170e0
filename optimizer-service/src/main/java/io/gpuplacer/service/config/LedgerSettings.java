package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

/**
 * {@code gpuplacer.ledger.embodied.*}: embodied emissions, as an option (the hardware: {@link EmbodiedHardware}).
 *
 * @param lifespanYears the hardware's emissions are written off over this many years (more than 0, at most 50)
 */
@ConfigurationProperties("gpuplacer.ledger.embodied")
public record LedgerSettings(
        @Bindable(defaultValue = "5")
        @DecimalMin(value = "0", inclusive = false, message = "gpuplacer.ledger.embodied.lifespan-years "
                + "(GPUPLACER_LEDGER_EMBODIED_LIFESPAN_YEARS) must be more than 0 and at most 50")
        @DecimalMax(value = "50", message = "gpuplacer.ledger.embodied.lifespan-years "
                + "(GPUPLACER_LEDGER_EMBODIED_LIFESPAN_YEARS) must be more than 0 and at most 50")
        double lifespanYears) {
}
