package io.gpuplacer.service.capacity;

import java.time.Instant;
import java.util.List;

/**
 * A capacity plan: the forecast per month, zone and GPU model; what to buy (and by when to order it); what to
 * retire; what the plan costs; what a plan on the average would buy and leave waiting; how it was made.
 */
public record CapacityPlan(Instant asOf, int months, double carbonPriceUsdPerTonne, boolean zonesPinned,
                           List<WeekRow> history, List<ForecastRow> forecast, List<FitRow> fits,
                           List<Purchase> purchases,
                           List<Retirement> retire, Cost cost, AverageBased averageBased, Replay replay,
                           List<String> warnings, String method) {

    /** One whole week of a series' history: its peak (p95 of the hours) and mean demand. */
    public record WeekRow(String zone, String gpuModel, Instant weekStart, double peakGpus, double meanGpus) {
    }

    /** One month of one series ({@code zone} "any" where demand may move between zones). */
    public record ForecastRow(String month, String zone, String gpuModel, double peakGpus, double averageGpus,
                              double capacityGpus) {
    }

    /**
     * The trend fitted to a series' weekly peaks and means, and its error (GPUs, root mean square); the peak trend's
     * value at the history's start ({@code historyStart}), so that it can be drawn.
     */
    public record FitRow(String zone, String gpuModel, int weeks, double peakSlopeGpusPerWeek, double peakRmseGpus,
                         double meanSlopeGpusPerWeek, double meanRmseGpus, Instant historyStart,
                         double peakTrendAtStartGpus) {
    }

    /**
     * Nodes to buy: needed by the start of the month that falls short, ordered their lead time before; they arrive
     * then, or their lead time after the plan's start when that order date has passed (the capacity counts them from
     * their arrival).
     */
    public record Purchase(String nodeType, String zone, String gpuModel, int count, Instant neededBy,
                           Instant orderBy, Instant arrives, String reason) {
    }

    public record Retirement(String node, String zone, String gpuModel, String reason) {
    }

    /** The plan's months: node cost and energy cost (USD), energy's CO2e, and the purchases' embodied CO2e. */
    public record Cost(double usd, double co2eKg, double embodiedKgCo2e) {
    }

    /**
     * The same method on the mean instead of the peak: what it would buy, and the GPU-hours of demand it would leave
     * waiting in the plan's months; the peak plan's own shortfall beside it.
     */
    public record AverageBased(List<Purchase> purchases, double shortfallGpuHours, double peakPlanShortfallGpuHours) {
    }

    /**
     * The forecast peak week replayed hour by hour with the placement model on the planned fleet and on the
     * average-based plan's fleet: what of its demand found no place (gangs, topology and MIG count, not only GPUs).
     */
    public record Replay(String shapes, PeakWeekReplay.Result plannedFleet, PeakWeekReplay.Result averageBasedFleet) {
    }
}
