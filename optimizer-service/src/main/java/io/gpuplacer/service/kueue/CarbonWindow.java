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

    /** What to answer, and why; {@code nodes} for READY with a place (the gang's, together). */
    public record Decision(State state, String message, int startSlot, List<String> nodes) {
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
                    List.of());
        }
        List<TaskAssignment> tasks = view.tasksOf(job);
        if (tasks.stream().anyMatch(t -> t.getNodeRange().isEmpty())) {
            return new Decision(State.REJECTED, "no node can ever hold it: "
                    + UnplacedReasons.forPendingJob(base, tasks, view.oracle().quotas()), 0, List.of());
        }
        List<PlacementOracle.JobOption> options = view.oracle().recommendJob(tasks, OPTIONS, budget);
        if (options.isEmpty()) {
            return new Decision(State.READY, "admitted now (fail open): no place found in its window ("
                    + UnplacedReasons.forPendingJob(base, tasks, view.oracle().quotas()) + ")", 0, List.of());
        }
        PlacementOracle.JobOption best = options.get(0);
        PlacementOracle.JobOption now = options.stream().filter(o -> start(o) == 0).findFirst().orElse(null);
        if (start(best) == 0) { // also all a job gets whose window allows no later start
            return ready(best, "its best place starts now");
        }
        Intensity later = intensity(best);
        if (now == null) {
            return new Decision(State.PENDING, String.format(Locale.ROOT, "no room now; its best place starts %s in "
                            + "%s (%.0f g/kWh, %.1f USD/MWh)", HOUR.format(base.now().plusSeconds(3600L * start(best))),
                    later.zone(), later.grams(), later.usdPerMWh()), start(best), nodes(best));
        }
        Intensity at = intensity(now);
        double co2 = at.grams() <= 0 ? 0 : 1 - later.grams() / at.grams();
        double price = at.usdPerMWh() <= 0 ? 0 : 1 - later.usdPerMWh() / at.usdPerMWh();
        if (co2 < minSaving) {
            return ready(now, String.format(Locale.ROOT, "waiting saves %.0f%% CO2e intensity, less than the "
                    + "threshold %.0f%%", 100 * co2, 100 * minSaving));
        }
        return new Decision(State.PENDING, String.format(Locale.ROOT, "starts %s in %s: %s CO2e, %s energy price "
                        + "(%.0f against %.0f g/kWh now in %s)", HOUR.format(base.now().plusSeconds(3600L * start(best))),
                later.zone(), percent(co2), percent(price), later.grams(), at.grams(), at.zone()), start(best),
                nodes(best));
    }

    private static String percent(double saved) {
        return String.format(Locale.ROOT, "%+.0f%%", -100 * saved);
    }

    private static Decision ready(PlacementOracle.JobOption option, String why) {
        return new Decision(State.READY, "admitted now on " + String.join(", ", nodes(option)) + ": " + why, 0,
                nodes(option));
    }

    private static int start(PlacementOracle.JobOption option) {
        return option.placements().get(0).start();
    }

    private static List<String> nodes(PlacementOracle.JobOption option) {
        Set<String> out = new LinkedHashSet<>();
        option.placements().forEach(p -> out.add(p.node().id()));
        return new ArrayList<>(out);
    }

    /** The mean intensity and price of the job's hours at the option's place (its first node's zone). */
    private record Intensity(String zone, double grams, double usdPerMWh) {
    }

    private static Intensity intensity(PlacementOracle.JobOption option) {
        Node node = option.placements().get(0).node();
        SignalSeries s = node.zone().signals();
        int start = start(option);
        int end = option.placements().get(0).task().accountedEndFor(start);
        int hours = Math.max(1, end - start);
        return new Intensity(node.zone().id(), s.carbonSum(start, end) / hours, s.priceSum(start, end) / hours);
    }
}
