package io.gpuplacer.service.capacity;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to buy, month by month, to cover the forecast peak (p95) of each GPU model's demand, at the least cost plus
 * carbon: each shortfall is met with the node type (and, where demand may move between zones, the zone) whose GPU
 * costs least per hour, counting its price, its energy at the zone's mean price, and at the operator's carbon
 * price its energy's CO2e and its embodied CO2e spread over its lifetime. The same method on the mean demand is
 * made beside it, with the GPU-hours it would leave waiting.
 */
public final class CapacityPlanner {

    /**
     * What a plan is made from; {@code shapes}: the workload's job shapes per GPU model for the replay (empty: jobs of
     * one whole GPU); {@code signals}: the signals document, or null.
     */
    public record Inputs(DemandHistory history, Fleet fleet, NodeCatalogue catalogue, Growth growth, Instant asOf,
                         int months, double carbonPriceUsdPerTonne, boolean pinZones,
                         Map<String, List<com.fasterxml.jackson.databind.JsonNode>> shapes,
                         com.fasterxml.jackson.databind.JsonNode signals) {
    }

    private CapacityPlanner() {
    }

    public static CapacityPlan plan(Inputs in) throws io.gpuplacer.model.interchange.InputException {
        List<String> warnings = new ArrayList<>(in.history().warnings());
        Map<DemandHistory.Key, DemandForecast> forecasts = new TreeMap<>();
        ForecastSeries.of(in.history(), in.pinZones()).forEach((key, s) -> forecasts.put(key, new DemandForecast(s)));
        List<PlanMonth> months = PlanMonth.of(in.asOf(), in.months());
        Sizing peak = new Sizing(in, forecasts, months, true, warnings);
        Sizing mean = new Sizing(in, forecasts, months, false, new ArrayList<>());
        List<CapacityPlan.WeekRow> history = new ArrayList<>();
        forecasts.forEach((k, f) -> {
            for (int i = 0; i < f.weeks().length; i++) {
                history.add(new CapacityPlan.WeekRow(k.zone(), k.gpuModel(), f.series().start().plus(
                        (long) f.weeks()[i] * DemandForecast.WEEK, ChronoUnit.HOURS), round(f.weeklyPeaks()[i]),
                        round(f.weeklyMeans()[i])));
            }
        });
        List<CapacityPlan.FitRow> fits = new ArrayList<>();
        forecasts.forEach((k, f) -> {
            fits.add(new CapacityPlan.FitRow(k.zone(), k.gpuModel(), f.peakFit().weeks(), round(f.peakFit()
                    .slopePerWeek()), round(f.peakFit().rmse()), round(f.meanFit().slopePerWeek()),
                    round(f.meanFit().rmse()), f.series().start(), round(f.peakFit().at(0))));
            if (f.peakFit().weeks() < 4) {
                warnings.add(k + ": " + f.peakFit().weeks() + " whole week(s) of history: its trend rests on too few "
                        + "weeks to trust (4 or more)");
            }
        });
        java.util.Set<String> zones = new java.util.TreeSet<>();
        in.fleet().nodes().forEach(n -> zones.add(n.zone()));
        peak.purchases.forEach(p -> zones.add(p.zone()));
        for (String zone : zones) {
            Fleet.Zone z = in.fleet().zone(zone);
            if (Double.isNaN(z.usdPerMWh()) || Double.isNaN(z.gramsPerKWh())) {
                warnings.add("zone " + zone + " has no " + (Double.isNaN(z.usdPerMWh()) ? "price" : "carbon")
                        + " signal (--signals): its energy is counted at 0");
            }
        }
        Instant week = months.get(months.size() - 1).start();
        CapacityPlan.Replay replay = new CapacityPlan.Replay(in.shapes().isEmpty() ? "one whole GPU per job (no job "
                + "shapes given)" : "the given jobs' shapes", peak.replay(week), mean.replay(week));
        return new CapacityPlan(in.asOf(), in.months(), in.carbonPriceUsdPerTonne(), in.pinZones(), history, peak.rows,
                fits, peak.purchases, peak.retire(), peak.cost(), new CapacityPlan.AverageBased(mean.purchases,
                round(mean.shortfall()), round(peak.shortfall())), replay, List.copyOf(warnings), method(in));
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String method(Inputs in) {
        return String.format(Locale.ROOT, "Demand is GPUs in use plus GPUs asked for and not placed, hour by hour. "
                + "For each %s, a straight-line trend is fitted (least squares) to the weekly peaks (the p95 of the "
                + "hourly demand of each whole week) and another to the weekly means; announced growth is added from "
                + "its date. Each month of the %d ahead must hold the peak trend at its end: where the fleet falls "
                + "short, the node type%s whose GPU-hour costs least (its price, its energy at the zone's mean price, "
                + "and at %.0f USD per tonne its energy's CO2e and its embodied CO2e over its lifetime) is bought, due "
                + "at the month's start and ordered its lead time before. Nodes idle even at the highest peak are "
                + "retired, dearest first. The average-based plan sizes on the mean trend instead; its shortfall is "
                + "the demand above its capacity when the history's own hourly shape (each hour as a ratio to the "
                + "mean trend, in the same hour of the week) is laid on the trend.", in.pinZones()
                ? "zone and GPU model" : "GPU model (demand may move between zones)", in.months(), in.pinZones()
                ? "" : " and zone", in.carbonPriceUsdPerTonne());
    }
}
