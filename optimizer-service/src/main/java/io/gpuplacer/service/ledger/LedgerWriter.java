package io.gpuplacer.service.ledger;

import io.gpuplacer.service.state.TaskKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.accounting.LedgerAttribution;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.problem.Zone;
import io.gpuplacer.service.persistence.LedgerInterval;
import io.gpuplacer.service.persistence.LedgerRowRecord;
import io.gpuplacer.service.persistence.LedgerQueueHourRecord;
import io.gpuplacer.service.persistence.LedgerZoneHourRecord;
import io.gpuplacer.service.queues.QueueStatus;
import io.gpuplacer.service.state.SignalsDocuments;
import io.gpuplacer.service.state.IntervalAccounting;
import io.gpuplacer.service.telemetry.TelemetryRefresh;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the emission ledger for one interval between snapshots (interchange v1.1 section 8): the work of the
 * earlier snapshot runs for the whole interval, capped at two hours (the rest is a gap row); hour by hour, each node
 * is attributed by {@link LedgerAttribution} at its zone's intensity and price for that hour. Running tasks take
 * their measured utilisation where telemetry is in force ({@code energy_measured}: the mean of the readings of that
 * hour), else the declared one.
 */
@Singleton
public class LedgerWriter implements IntervalAccounting {

    static final Duration CAP = Duration.ofHours(2);

    private final ProblemReader reader = new ProblemReader();
    private final BeanProvider<TelemetryRefresh> telemetry;
    private final MeterRegistry metrics;
    private final EmbodiedFactors embodied;
    private final GpuIdleWatts idleWatts;

    /** Telemetry is absent from the command-line tools; the declared utilisation is used there. */
    public LedgerWriter(BeanProvider<TelemetryRefresh> telemetry, MeterRegistry metrics, EmbodiedFactors embodied,
                        GpuIdleWatts idleWatts) {
        this.idleWatts = idleWatts;
        this.telemetry = telemetry;
        this.metrics = metrics;
        this.embodied = embodied;
    }

    /**
     * Counts what the ledger recorded, by team and zone, for dashboards that plot it
     * ({@code gpuplacer_energy_joules_total}, {@code gpuplacer_emissions_grams_total}).
     */
    @Override
    public void committed(List<LedgerRowRecord> rows) {
        for (LedgerRowRecord r : rows) {
            if (r.rowKind().equals(LedgerRowRecord.GAP)) {
                continue;
            }
            String team = r.rowKind().equals(LedgerRowRecord.UNALLOCATED) ? "unallocated"
                    : r.team() == null || r.team().isEmpty() ? "(no team)" : r.team();
            metrics.counter("gpuplacer.energy.joules", "team", team, "zone", r.zone()).increment(r.energyKwh() * 3.6e6);
            metrics.counter("gpuplacer.emissions.grams", "team", team, "zone", r.zone()).increment(r.co2eKg() * 1000);
        }
    }

    @Override
    public LedgerInterval rows(JsonNode cluster, Instant t0, Instant t1,
                               java.util.function.Function<Instant, JsonNode> signalsAt) {
        List<LedgerRowRecord> out = new ArrayList<>();
        List<LedgerZoneHourRecord> zoneHours = new ArrayList<>();
        List<LedgerQueueHourRecord> queueHours = new ArrayList<>();
        Instant end = t1.isAfter(t0.plus(CAP)) ? t0.plus(CAP) : t1;
        if (end.isAfter(t0)) {
            JsonNode signals = signalsAt.apply(t0);
            Problem problem = problem(cluster, t0, end, signals);
            Map<String, List<RunningTask>> byNode = new HashMap<>();
            problem.running().forEach(r -> byNode.computeIfAbsent(r.node().id(), n -> new ArrayList<>()).add(r));
            // The queues' quota use is the snapshot's, the same over the whole interval (nothing else is known).
            QueueStatus.Report queues = problem.queues().isEmpty() ? null : QueueStatus.of(problem);
            Map<JsonNode, SignalLookup> lookups = new java.util.IdentityHashMap<>();
            for (Instant a = t0; a.isBefore(end); ) {
                Instant hour = a.truncatedTo(ChronoUnit.HOURS);
                SignalLookup lookup = lookups.computeIfAbsent(signalsAt.apply(a), SignalLookup::new);
                // The telemetry read in that hour (its mean), not only the reading in force now.
                Map<String, Double> measured = telemetry.isPresent()
                        ? telemetry.get().measuredUtilization(cluster, hour) : Map.of();
                Map<String, Double> power = telemetry.isPresent() ? telemetry.get().measuredPower(cluster, hour)
                        : Map.of();
                Instant b = hour.plus(1, ChronoUnit.HOURS).isBefore(end) ? hour.plus(1, ChronoUnit.HOURS) : end;
                double hours = Duration.between(a, b).toMillis() / 3_600_000.0;
                if (queues != null) {
                    queueHours.addAll(queueHours(queues, hour, hours));
                }
                for (Zone zone : problem.zones()) {
                    SignalLookup.Value carbon = lookup.carbon(zone.id(), hour);
                    zoneHours.add(new LedgerZoneHourRecord(null, 0, hour, zone.id(), carbon.value(),
                            carbon.provider(), carbon.estimated(), lookup.price(zone.id(), hour).value()));
                }
                for (Node node : problem.nodes()) {
                    List<RunningTask> tasks = byNode.getOrDefault(node.id(), List.of());
                    double[] utilization = new double[tasks.size()];
                    double[] busyWatts = new double[tasks.size()];
                    for (int i = 0; i < tasks.size(); i++) {
                        Double m = measured.get(key(tasks.get(i)));
                        utilization[i] = m == null ? Double.NaN : m;
                        busyWatts[i] = measuredBusyWatts(node, tasks.get(i), power.get(key(tasks.get(i))));
                    }
                    SignalLookup.Value carbon = lookup.carbon(node.zone().id(), hour);
                    SignalLookup.Value price = lookup.price(node.zone().id(), hour);
                    for (LedgerAttribution.Row row : LedgerAttribution.rows(node, tasks, utilization, busyWatts, hours,
                            carbon.value(), price.value())) {
                        double embodiedKg = embodied.kgPerHour(node.gpuModel(), node.gpuCount()) * hours * row.part();
                        out.add(record(row, hour, a, b, carbon, price, embodiedKg));
                    }
                }
                a = b;
            }
        }
        if (t1.isAfter(end)) {
            out.add(new LedgerRowRecord(null, 0, end.truncatedTo(ChronoUnit.HOURS), end, t1, LedgerRowRecord.GAP,
                    null, null, null, null, null, null, 0, Duration.between(end, t1).toMillis() / 3_600_000.0, 0, 0,
                    0, 0, 0, 0, null, false, 0, false, false, null));
        }
        return new LedgerInterval(out, zoneHours, queueHours);
    }

    private static List<LedgerQueueHourRecord> queueHours(QueueStatus.Report queues, Instant hour, double hours) {
        List<LedgerQueueHourRecord> out = new ArrayList<>();
        for (QueueStatus.QueueView q : queues.queues()) {
            for (QueueStatus.FlavorView f : q.flavors()) {
                out.add(new LedgerQueueHourRecord(null, 0, hour, hours, q.id(), f.flavor(), f.nominalGpus(),
                        f.usedGpus(), f.borrowedGpus(), f.lentGpus()));
            }
        }
        return out;
    }

    /**
     * A task's busy watts from its GPUs' measured draw (its share of it, as the telemetry splits it) less its share
     * of their idle draw, which the node's baseWatts count; NaN (modelled) without a measurement or an idle figure.
     */
    private double measuredBusyWatts(Node node, RunningTask task, Double watts) {
        Double idle = idleWatts.of(node.gpuModel());
        double share = task.job().gpu().share();
        if (watts == null || idle == null || share <= 0) {
            return Double.NaN;
        }
        return Math.max(0, watts - idle * share);
    }

    static String key(RunningTask t) {
        return TaskKey.of(t.job().id(), t.task());
    }

    private static LedgerRowRecord record(LedgerAttribution.Row row, Instant hour, Instant a, Instant b,
                                          SignalLookup.Value carbon, SignalLookup.Value price, double embodiedKg) {
        RunningTask t = row.task();
        Node n = row.node();
        return new LedgerRowRecord(null, 0, hour, a, b, t == null ? LedgerRowRecord.UNALLOCATED : LedgerRowRecord.TASK,
                t == null ? null : t.job().id(), t == null ? null : t.task(), t == null ? null : t.job().team(),
                n.id(), n.zone().id(), n.gpuModel(), row.gpuShare(), Duration.between(a, b).toMillis() / 3_600_000.0,
                row.utilization(), row.kWh(), row.co2eKg(),
                row.costUsd(), embodiedKg, carbon.value(), carbon.provider(), carbon.estimated(), price.value(), row.measured(),
                row.powerMeasured(), t == null || t.job().queue() == null ? null : t.job().queue().id());
    }

    /** The snapshot read as of the hour the interval starts in (its signals are looked up here, not read). */
    private Problem problem(JsonNode cluster, Instant t0, Instant end, JsonNode signals) {
        ObjectNode jobs = JsonNodeFactory.instance.objectNode();
        Instant hour = t0.truncatedTo(ChronoUnit.HOURS);
        jobs.put("now", hour.toString());
        jobs.put("horizonHours", (int) Math.min(ProblemReader.MAX_HORIZON_HOURS,
                Math.max(1, Duration.between(hour, end).toHours() + 1)));
        jobs.set("jobs", JsonNodeFactory.instance.arrayNode());
        try {
            return reader.read(cluster, jobs, SignalsDocuments.forCluster(cluster, signals));
        } catch (InputException e) {
            // The snapshot was valid when it was stored; only its signals can have changed since.
            try {
                return reader.read(cluster, jobs, null);
            } catch (InputException again) {
                throw new IllegalStateException("a recorded snapshot no longer reads: " + again.getMessage(), again);
            }
        }
    }
}
