package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.AtomicFiles;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.service.capacity.CapacityPlan;
import io.gpuplacer.service.capacity.CapacityPlanner;
import io.gpuplacer.service.capacity.DemandHistory;
import io.gpuplacer.service.capacity.Fleet;
import io.gpuplacer.service.capacity.Growth;
import io.gpuplacer.service.capacity.NodeCatalogue;
import io.gpuplacer.service.capacity.PlanWriter;
import picocli.CommandLine;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** {@code capacity-plan}: what GPU nodes to buy, where and when to order them, from the demand's peaks and growth. */
@CommandLine.Command(name = "capacity-plan", header = "Plan GPU capacity: what to buy, where, and when to order it.",
        description = "Forecasts each GPU model's demand (used plus pending GPUs, per hour) from the trend of its "
                + "weekly peaks (p95) and announced growth, and buys, month by month, the node type (and zone) whose "
                + "GPU-hour costs least with its energy and carbon, ordered its lead time ahead. Prints the plan "
                + "(JSON, docs/capacity.md) and what a plan on the average would buy and leave waiting.")
final class CapacityPlanCommand extends Command {

    @CommandLine.Option(names = "--history", paramLabel = "H", required = true, description = "CSV: "
            + DemandHistory.HEADER + ", one row per hour, zone and GPU model.")
    Path history;

    @CommandLine.Option(names = "--cluster", paramLabel = "C", required = true, description = "The fleet today (a "
            + "cluster snapshot).")
    Path cluster;

    @CommandLine.Option(names = "--catalogue", paramLabel = "K", required = true, description = "The node types one "
            + "can buy (JSON {\"nodeTypes\": [...]}).")
    Path catalogue;

    @CommandLine.Option(names = "--signals", paramLabel = "S", description = "Carbon and price series: each zone's "
            + "mean prices its energy (none: energy at 0, said).")
    Path signals;

    @CommandLine.Option(names = "--growth", paramLabel = "G", description = "Announced growth: [{\"team\", "
            + "\"gpuModel\", \"gpus\", \"from\"}].")
    Path growth;

    @CommandLine.Option(names = "--jobs", paramLabel = "J", description = "Job shapes of the workload (a job queue "
            + "document): the replay's jobs are made of them (none: one whole GPU each).")
    Path jobs;

    @CommandLine.Option(names = "--months", defaultValue = "6", description = "1..36 (default ${DEFAULT-VALUE}).")
    int months;

    @CommandLine.Option(names = "--as-of", paramLabel = "INSTANT", description = "Plan from this instant (default: "
            + "the hour after the history's last).")
    String asOf;

    @CommandLine.Option(names = "--carbon-price", paramLabel = "USD_PER_T", defaultValue = "0", description = "USD per "
            + "tonne of CO2e, 0..10000 (default ${DEFAULT-VALUE}: cost only).")
    double carbonPrice;

    @CommandLine.Option(names = "--pin-zones", description = "Demand stays in the zone it ran in (default: it may "
            + "move, and capacity is bought in the zone that costs least).")
    boolean pinZones;

    @CommandLine.Option(names = "--out", paramLabel = "F", description = "Write the plan here (default: standard "
            + "output).")
    Path outFile;

    @CommandLine.Option(names = "--chart", paramLabel = "F", description = "Also write the plan's chart here (SVG: "
            + "history, forecast band, capacity, purchases).")
    Path chart;

    @Override
    int execute() throws UsageException, InputException, IOException {
        bounded("--months", months, 1, 36);
        if (!(carbonPrice >= 0 && carbonPrice <= 10_000)) {
            throw new UsageException("--carbon-price " + carbonPrice + " must be 0..10000 (USD per tonne)");
        }
        DemandHistory demand;
        try (Reader r = Files.newBufferedReader(history, StandardCharsets.UTF_8)) {
            demand = DemandHistory.read(r, history.toString());
        } catch (NoSuchFileException e) {
            throw new UsageException("--history " + history + ": no such file");
        }
        com.fasterxml.jackson.databind.JsonNode signalsDoc = signals == null ? null : ProblemReader.parse(signals);
        Fleet fleet = Fleet.read(ProblemReader.parse(cluster), signalsDoc, cluster.toString());
        NodeCatalogue types = NodeCatalogue.read(ProblemReader.parse(catalogue), catalogue.toString());
        Growth announced = growth == null ? Growth.NONE : Growth.read(ProblemReader.parse(growth), growth.toString());
        knownModels(demand, fleet, types);
        Instant from = asOf == null ? lastHour(demand).plus(1, ChronoUnit.HOURS) : instant(asOf);
        java.util.Map<String, java.util.List<com.fasterxml.jackson.databind.JsonNode>> shapes = jobs == null
                ? java.util.Map.of() : io.gpuplacer.service.capacity.JobShapes.byModel(ProblemReader.parse(jobs),
                demand, jobs.toString());
        CapacityPlan plan = CapacityPlanner.plan(new CapacityPlanner.Inputs(demand, fleet, types, announced, from,
                months, carbonPrice, pinZones, shapes, signalsDoc));
        String json = PlanWriter.toJson(plan);
        if (outFile == null) {
            out.print(json);
        } else {
            AtomicFiles.writeString(outFile, json);
        }
        if (chart != null) {
            AtomicFiles.writeString(chart, io.gpuplacer.service.capacity.CapacityChart.svg(plan));
        }
        int nodes = plan.purchases().stream().mapToInt(CapacityPlan.Purchase::count).sum();
        err.printf(Locale.ROOT, "capacity-plan: %d node(s) to buy in %d purchase(s), %d to retire; the average-based "
                + "plan would leave %.0f GPU-hours waiting (this plan %.0f); replayed peak week: %.1f%% of the demand "
                + "unplaced on the planned fleet, %.1f%% on the average-based one; %d warning(s)%n", nodes,
                plan.purchases().size(), plan.retire().size(), plan.averageBased().shortfallGpuHours(),
                plan.averageBased().peakPlanShortfallGpuHours(), 100 * plan.replay().plannedFleet().unplacedShare(),
                100 * plan.replay().averageBasedFleet().unplacedShare(), plan.warnings().size());
        plan.warnings().forEach(w -> err.println("warning: " + w));
        return 0;
    }

    /** Every model of the history is one the fleet has or the catalogue sells (else a typo, named). */
    private void knownModels(DemandHistory demand, Fleet fleet, NodeCatalogue types) throws InputException {
        java.util.Set<String> known = new java.util.TreeSet<>();
        fleet.nodes().forEach(n -> known.add(n.gpuModel()));
        types.nodeTypes().forEach(t -> known.add(t.gpuModel()));
        for (DemandHistory.Key key : demand.series().keySet()) {
            if (!known.contains(key.gpuModel())) {
                throw new InputException("gpuModel", key.gpuModel(), history + ": gpuModel \"" + key.gpuModel()
                        + "\" is the model of no node of " + cluster + " and of no node type of " + catalogue
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static Instant lastHour(DemandHistory demand) {
        return demand.series().values().stream().map(s -> s.start().plus(s.hours() - 1L, ChronoUnit.HOURS))
                .max(Instant::compareTo).orElseThrow();
    }

    private static Instant instant(String text) throws UsageException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException("--as-of \"" + text + "\" is not an instant like 2026-12-01T00:00:00Z");
        }
    }
}
