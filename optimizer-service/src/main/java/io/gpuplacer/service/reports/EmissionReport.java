package io.gpuplacer.service.reports;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.gpuplacer.service.ledger.EmbodiedFactors;
import io.gpuplacer.service.ledger.GpuIdleWatts;
import io.gpuplacer.service.persistence.LedgerReader;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Emission reports from the ledger: the rows of [from, to) summed by any combination of team, queue, job, zone,
 * node, gpuModel, hour, day and month, with totals and the method behind them.
 */
@Singleton
public class EmissionReport {

    /** Whether the ledger's rows can be grouped by this column (team, queue, job, zone, node, gpuModel). */
    public static boolean groupable(String column) {
        return LedgerReader.COLUMNS.containsKey(column);
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    /**
     * Sums of one group; {@code embodiedCo2eKg} and {@code sciKgPerGpuHour} only when embodied emissions are
     * configured (else null), SCI = (operational + embodied) CO2e / GPU-hours.
     */
    public record Figures(double energyKWh, double co2eKg, double costUsd, double gpuHours, double estimatedShare,
                          double measuredShare, double powerMeasuredShare, Double embodiedCo2eKg,
                          Double sciKgPerGpuHour) {
    }

    /** One group: its group columns (e.g. team, zone) followed by its figures, as one flat object. */
    public record Report(Instant from, Instant to, List<String> groupBy, List<Map<String, Object>> rows,
                         Figures totals, Map<String, Object> method, Map<String, Object> savings,
                         Map<String, Object> gaps, @JsonIgnore Savings.Result savingsResult) {
    }

    private final LedgerReader ledger;
    private final EmbodiedFactors embodied;
    private final SavingsReport savings;

    private final ExecutorService workers;
    private final GpuIdleWatts idleWatts;

    /** {@code workers}: the savings are read beside the sums (two queries of the same rows, one core each). */
    public EmissionReport(LedgerReader ledger, EmbodiedFactors embodied, SavingsReport savings,
                          @Named(TaskExecutors.BLOCKING) ExecutorService workers, GpuIdleWatts idleWatts) {
        this.idleWatts = idleWatts;
        this.workers = workers;
        this.ledger = ledger;
        this.embodied = embodied;
        this.savings = savings;
    }

    /** Running sums of one group. */
    private static final class Sums {
        double kWh;
        double co2e;
        double usd;
        double gpuHours;
        double co2eEstimated;
        double kWhMeasured;
        double kWhPowerMeasured;
        double embodied;

        void add(LedgerReader.Sum r) {
            kWh += r.energyKwh();
            co2e += r.co2eKg();
            usd += r.costUsd();
            gpuHours += r.gpuHours();
            co2eEstimated += r.co2eOnEstimated();
            kWhMeasured += r.energyMeasured();
            kWhPowerMeasured += r.energyPowerMeasured();
            embodied += r.embodiedCo2eKg();
        }

        Figures figures(boolean withEmbodied) {
            return new Figures(kWh, co2e, usd, gpuHours, co2e > 0 ? co2eEstimated / co2e : 0,
                    kWh > 0 ? kWhMeasured / kWh : 0, kWh > 0 ? kWhPowerMeasured / kWh : 0, withEmbodied ? embodied : null,
                    withEmbodied && gpuHours > 0 ? (co2e + embodied) / gpuHours : null);
        }
    }

    public Report run(ReportQuery q) {
        List<String> columns = q.groupBy().stream().filter(LedgerReader.COLUMNS::containsKey).toList();
        LedgerReader.Grain grain = q.groupBy().contains("hour") ? LedgerReader.Grain.HOUR
                : q.groupBy().contains("day") ? LedgerReader.Grain.DAY
                : q.groupBy().contains("month") ? LedgerReader.Grain.MONTH : LedgerReader.Grain.NONE;
        CompletableFuture<Savings.Result> savingsAhead = CompletableFuture.supplyAsync(
                () -> savings.of(q.from(), q.to()), workers);
        Map<List<String>, Sums> groups = new TreeMap<>(EmissionReport::compareKeys);
        Sums totals = new Sums();
        for (LedgerReader.Sum sum : ledger.sums(q.from(), q.to(), columns, grain)) {
            List<String> key = new ArrayList<>(q.groupBy().size());
            for (String g : q.groupBy()) {
                key.add(LedgerReader.COLUMNS.containsKey(g) ? sum.keys().get(columns.indexOf(g)) : time(g, sum.period()));
            }
            groups.computeIfAbsent(key, k -> new Sums()).add(sum);
            totals.add(sum);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((key, sums) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < key.size(); i++) {
                row.put(q.groupBy().get(i), key.get(i));
            }
            Figures f = sums.figures(embodied.configured());
            row.put("energyKWh", f.energyKWh());
            row.put("co2eKg", f.co2eKg());
            row.put("costUsd", f.costUsd());
            row.put("gpuHours", f.gpuHours());
            row.put("estimatedShare", f.estimatedShare());
            row.put("measuredShare", f.measuredShare());
            row.put("powerMeasuredShare", f.powerMeasuredShare());
            if (embodied.configured()) {
                row.put("embodiedCo2eKg", f.embodiedCo2eKg());
                row.put("sciKgPerGpuHour", f.sciKgPerGpuHour());
            }
            rows.add(row);
        });
        LedgerReader.Gaps found = ledger.gaps(q.from(), q.to());
        Map<String, Object> gaps = new LinkedHashMap<>();
        gaps.put("count", found.count());
        gaps.put("hours", found.hours());
        gaps.put("meaning", "intervals of more than 2 hours between snapshots: work past the first 2 hours is not "
                + "known and not counted");
        Savings.Result saved;
        try {
            saved = savingsAhead.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new Report(q.from(), q.to(), q.groupBy(), rows, totals.figures(embodied.configured()),
                method(new TreeSet<>(ledger.providers(q.from(), q.to())), embodied, idleWatts),
                SavingsView.of(saved), gaps, saved);
    }

    /** What the jobs the report's savings counted emitted by hour, within the report's period (for its chart). */
    public Map<Instant, Double> countedCo2eByHour(Report report) {
        return savings.countedCo2eByHour(report.savingsResult(), report.from(), report.to());
    }

    private static String time(String group, Instant hour) {
        return switch (group) {
            case "hour" -> hour.toString();
            case "day" -> DAY.format(hour);
            case "month" -> MONTH.format(hour);
            default -> throw new IllegalArgumentException(group);
        };
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static Map<String, Object> method(Set<String> providers, EmbodiedFactors embodied,
                                              GpuIdleWatts idleWatts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("boundary", "every node of the cluster snapshots received (PUT /v1/cluster), while on: a node hosting a "
                + "task, or alwaysOn; IT energy = baseWatts + gpuBusyWatts x utilisation x GPU share per task, times "
                + "the zone's PUE; the bundled example is not recorded");
        m.put("interval", "each task of a snapshot runs on its node until the next snapshot, at most 2 hours; a longer "
                + "interval's rest is a gap");
        m.put("attribution", "each task its own busy watts; the node's base watts and costPerHour split by weight "
                + "(GPU share; a CPU-only task cpuMillis / node cpuMillis x max(gpuCount, 1)); an idle alwaysOn "
                + "node's to the row unallocated; the rows of an hour add up to the cluster's total");
        m.put("intensity", "location-based, average grid intensity of the node's zone for the hour (market-based "
                + "accounting is not done); the point in force at or before the hour, as the signals document had it "
                + "when the next snapshot arrived");
        m.put("intensityProviders", List.copyOf(providers));
        m.put("estimatedShare", "the share of CO2e resting on an intensity marked estimated (forecast, provider "
                + "estimate, filled hour, or no point for the hour)");
        m.put("measuredShare", "the share of energy resting on GPU telemetry: its utilisation or its power measured; "
                + "the rest uses the declared utilisation");
        m.put("powerMeasuredShare", "the share of energy whose busy watts are the GPUs' measured draw (DCGM power, "
                + "less the configured idle watts of the GPU model, gpuplacer.ledger.gpu-idle-watts); elsewhere busy "
                + "watts are modelled, gpuBusyWatts x utilisation x share; base watts are always the node's"
                + (idleWatts.all().isEmpty() ? " (no idle watts are configured: power is modelled everywhere)" : ""));
        if (embodied.configured()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("rule", "per node and hour on: (gpuCount x gpu kg + node kg) / (lifespan x 8760 h), split among "
                    + "its rows like its base watts; reported apart from the operational CO2e, as configured when each "
                    + "row was recorded");
            e.put("lifespanYears", embodied.lifespanYears());
            Map<String, Object> hardware = new TreeMap<>();
            embodied.factors().forEach((model, f) -> hardware.put(model, Map.of("gpuKg", f[0], "nodeKg", f[1])));
            e.put("hardware", hardware);
            m.put("embodied", e);
            m.put("sci", "SCI per GPU-hour = (operational + embodied kg CO2e) / GPU-hours; functional unit: one hour "
                    + "of one GPU's allocation (WHOLE 1 per GPU, SHARED milli/1000, MIG compute slices/7)");
        } else {
            m.put("embodied", "not configured (gpuplacer.ledger.embodied.hardware): no embodied emissions or SCI");
        }
        m.put("modelVersion", "interchange v1.1 section 8");
        return m;
    }
}
