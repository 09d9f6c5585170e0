package io.gpuplacer.service.ledger;

import io.gpuplacer.service.config.SettingLists;
import io.gpuplacer.service.config.EmbodiedHardware;
import io.gpuplacer.service.config.LedgerSettings;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/**
 * Embodied emissions, as an option: kg CO2e of manufacturing per GPU and per node (its server share without the
 * GPUs), by the node's GPU model ({@code none} for CPU-only nodes), written off over a lifespan. Configured as a
 * list (so that model names keep their case) under {@code gpuplacer.ledger.embodied.hardware}; none configured:
 * no embodied emissions are recorded. A node's embodied kg per hour is split among its rows like its base watts.
 */
@Singleton
public class EmbodiedFactors {


    private final Map<String, double[]> factors = new HashMap<>();
    private final double lifespanYears;

    public EmbodiedFactors(LedgerSettings settings, SettingLists lists) {
        this.lifespanYears = settings.lifespanYears();
        for (EmbodiedHardware h : lists.embodiedHardware()) {
            factors.put(h.gpuModel(), new double[]{h.gpuKg(), h.nodeKg()});
        }
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
