package io.gpuplacer.model.problem;

/**
 * The prices the soft score uses, in the units an operator thinks in; the constraints turn them into
 * micro-USD. A problem fact of the solution, so a run's prices are fixed for its duration.
 *
 * @param energyCostMultiplier     scales the market price of energy (1 = pay the market price)
 * @param nodeCostMultiplier       scales nodes' costPerHour
 * @param carbonPriceUsdPerTonne   internal carbon price per tonne CO2e (numerically micro-USD per gram)
 * @param preemptionLossUsdPerGpuHour price of one GPU-hour of work lost to a spot reclaim or a restart
 * @param moveCostUsd              fixed disruption cost of moving one running task
 * @param blockSpreadUsd           cost per extra network block an ANY-topology gang spans
 * @param fragmentationUsdPerGpuHour cost of one GPU-hour of fragmented capacity (FGD's measure)
 * @param fairSharingUsdPerGpuHour cost of one GPU-hour of lent capacity away from the fair-share split (section 9)
 * @param workload                 the demand classes fragmentation is measured against
 */
public record CostModel(double energyCostMultiplier, double nodeCostMultiplier, double carbonPriceUsdPerTonne,
                        double preemptionLossUsdPerGpuHour, double moveCostUsd, double blockSpreadUsd,
                        double fragmentationUsdPerGpuHour, double fairSharingUsdPerGpuHour,
                        WorkloadProfile workload) {

    public static final double MICRO = 1_000_000.0;

    /** Prices nothing: the soft level is 0 and only placement counts. */
    public static CostModel free() {
        return new CostModel(0, 0, 0, 0, 0, 0, 0, 0, WorkloadProfile.empty());
    }

    // The node-level prices, one definition each, used by the constraints' cost terms, the oracle (through
    // them) and the greedy's marginal costs, so that all three price an hour of a node alike.

    /** Energy that costs {@code usd} at the market price, in micro-USD. */
    public double energyMicroUsd(double usd) {
        return usd * MICRO * energyCostMultiplier;
    }

    /** Emissions of {@code grams} CO2e at the internal carbon price (USD per tonne = micro-USD per gram). */
    public double carbonMicroUsd(double grams) {
        return grams * carbonPriceUsdPerTonne;
    }

    /** {@code hours} of a node at its hourly price, in micro-USD. */
    public double nodeHoursMicroUsd(Node node, double hours) {
        return hours * node.costPerHour() * nodeCostMultiplier * MICRO;
    }

    /** One kWh in a slot of that power price (USD/MWh) and carbon intensity (g/kWh): energy plus carbon. */
    public double kWhMicroUsd(double usdPerMWh, double gPerKWh) {
        return energyMicroUsd(usdPerMWh / 1000.0) + carbonMicroUsd(gPerKWh);
    }

    public CostModel withWorkload(WorkloadProfile profile) {
        return new CostModel(energyCostMultiplier, nodeCostMultiplier, carbonPriceUsdPerTonne,
                preemptionLossUsdPerGpuHour, moveCostUsd, blockSpreadUsd, fragmentationUsdPerGpuHour,
                fairSharingUsdPerGpuHour, profile);
    }
}
