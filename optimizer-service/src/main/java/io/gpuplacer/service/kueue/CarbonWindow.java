package io.gpuplacer.service.kueue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.plan.UnplacedReasons;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.SignalSeries;
import io.gpuplacer.service.state.OracleView;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The carbon-window admission decision for one Kueue Workload whose quota is reserved (issue 25): the oracle's best
 * place inside the job's window against the best place now. Ready now when the best start is now (always so when the
 * window allows no later start), when waiting saves less than the threshold, or when nothing can be decided (fail
 * open);
 * Pending, with the hour and the saving, when a later hour is enough cleaner and cheaper; Rejected only when no node
 * can ever hold the job. Ready carries the nodes of the chosen place.
 */
public final class CarbonWindow {

    public enum State { READY, PENDING, REJECTED }

    /**
     * What to answer, and why; {@code nodes} for READY with a place (the gang's, together), and for PENDING the place
     * it waits for; {@code planned} the footprint at the chosen place and hour, {@code now} the best place starting
     * now (either null where there is none).
     */
    public record Decision(State state, String message, int startSlot, List<String> nodes, Footprint planned,
                           Footprint now) {
    }

    /**
     * What the job is expected to emit and spend at a place and hour: its GPUs' busy power (busy watts times
     * utilisation times GPU share, every task) times the zone's PUE, over its duration, at the zone's mean carbon
     * intensity and price of those hours.
     */
    public record Footprint(String zone, double co2eKg, double energyCostUsd) {
    }

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
            .withZone(ZoneOffset.UTC);
    /** How many places the oracle is asked for: enough to find the best one that starts now among them. */
    static final int OPTIONS = 50;

    private CarbonWindow() {
    }

    /**
     * Decides for the job (a contract job, as {@code KueueWorkloads} reads a Workload) on the state in force;
     * {@code minSaving}: the share of CO2e intensity a later start must save to wait (0..1).
     */
    public static Decision decide(OracleView view, JsonNode jobDoc, double minSaving, SearchBudget budget) {
        Problem base = view.base();
        Job job;
        try {
            job = new ProblemReader().readJob(jobDoc, "job", view.runningJobIds(), base.now(), base.queues());
        } catch (InputException e) {
            return new Decision(State.READY, "admitted now (fail open): its job does not read: " + e.getMessage(), 0,
                    List.of(), null, null);
        }
        List<TaskAssignment> tasks = view.tasksOf(job);
        if (tasks.stream().anyMatch(t -> t.getNodeRange().isEmpty())) {
            return new Decision(State.REJECTED, "no node can ever hold it: "
                    + UnplacedReasons.forPendingJob(base, tasks, view.oracle().quotas()), 0, List.of(), null, null);
        }
        List<PlacementOracle.JobOption> options = view.oracle().recommendJob(tasks, OPTIONS, budget);
        if (options.isEmpty()) {
            return new Decision(State.READY, "admitted now (fail open): no place found in its window ("
                    + UnplacedReasons.forPendingJob(base, tasks, view.oracle().quotas()) + ")", 0, List.of(), null,
                    null);
        }
        PlacementOracle.JobOption best = options.get(0);
        PlacementOracle.JobOption now = options.stream().filter(o -> start(o) == 0).findFirst().orElse(null);
        if (start(best) == 0) { // also all a job gets whose window allows no later start
            return ready(best, "its best place starts now");
        }
        Footprint later = footprint(best);
        String when = HOUR.format(base.now().plusSeconds(3600L * start(best)));
        if (now == null) {
            return new Decision(State.PENDING, String.format(Locale.ROOT, "no room now; its best place starts %s in "
                    + "%s: %s", when, later.zone(), amounts(later)), start(best), nodes(best), later, null);
        }
        Footprint at = footprint(now);
        double co2 = at.co2eKg() <= 0 ? 0 : 1 - later.co2eKg() / at.co2eKg();
        double cost = at.energyCostUsd() <= 0 ? 0 : 1 - later.energyCostUsd() / at.energyCostUsd();
        if (co2 < minSaving) {
            return ready(now, String.format(Locale.ROOT, "waiting saves %.0f%% CO2e, less than the threshold %.0f%%",
                    100 * co2, 100 * minSaving));
        }
        return new Decision(State.PENDING, String.format(Locale.ROOT, "starts %s in %s: %s CO2e, %s energy cost "
                        + "(%s against %s now in %s)", when, later.zone(), percent(co2), percent(cost),
                amounts(later), amounts(at), at.zone()), start(best), nodes(best), later, at);
    }

    private static String amounts(Footprint f) {
        return String.format(Locale.ROOT, "%.2f kg CO2e, %.2f USD", f.co2eKg(), f.energyCostUsd());
    }

    private static String percent(double saved) {
        return String.format(Locale.ROOT, "%+.0f%%", -100 * saved);
    }

    private static Decision ready(PlacementOracle.JobOption option, String why) {
        Footprint f = footprint(option);
        return new Decision(State.READY, "admitted now on " + String.join(", ", nodes(option)) + ": " + why + " ("
                + amounts(f) + ")", 0, nodes(option), f, f);
    }

    private static int start(PlacementOracle.JobOption option) {
        return option.placements().get(0).start();
    }

    private static List<String> nodes(PlacementOracle.JobOption option) {
        Set<String> out = new LinkedHashSet<>();
        option.placements().forEach(p -> out.add(p.node().id()));
        return new ArrayList<>(out);
    }

    private static Footprint footprint(PlacementOracle.JobOption option) {
        double co2Grams = 0;
        double usd = 0;
        for (PlacementOracle.TaskPlacement p : option.placements()) {
            Job job = p.task().getJob();
            Node node = p.node();
            int start = p.start();
            int end = Math.max(start + 1, p.task().accountedEndFor(start));
            double kWh = node.gpuBusyWatts() * job.utilization() * job.gpu().share() * node.zone().pue()
                    * job.durationHours() / 1000.0;
            SignalSeries s = node.zone().signals();
            co2Grams += kWh * s.carbonSum(start, end) / (end - start);
            usd += kWh * s.priceSum(start, end) / (end - start) / 1000.0;
        }
        return new Footprint(option.placements().get(0).node().zone().id(), co2Grams / 1000.0, usd);
    }
}
