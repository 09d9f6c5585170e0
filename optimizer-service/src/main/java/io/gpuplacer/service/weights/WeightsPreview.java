package io.gpuplacer.service.weights;

import io.gpuplacer.service.state.TaskKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import io.gpuplacer.service.solve.PlacementSolver;
import io.gpuplacer.service.state.ClusterState;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;

/**
 * What a change of weights would do before it is made: the current state (with the queue of the latest
 * optimization run, when it still reads) solved briefly with the weights in force and with the proposed ones, the
 * same seed and the same number of steps, and the two plans compared: CO2e, cost, placed work, moves, and each task
 * that would go elsewhere or start at another hour.
 */
@Singleton
public class WeightsPreview {

    public static final int MAX_SECONDS = 10;
    static final int MAX_CHANGES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 42;

    /** One side: the plan's totals, its cost (energy and node), placed and unplaced tasks, moves. */
    public record Side(String score, Plan.Totals totals, double costUsd, int placedTasks, int unplacedTasks,
                       int moves) {
    }

    /** A task placed, moved or left differently: {@code current} and {@code proposed} as "node from slot s". */
    public record Change(String job, int task, String current, String proposed) {
    }

    public record Preview(String queue, int seconds, Side current, Side proposed, List<Change> changes,
                          int changesLeftOut) {
    }

    private final ClusterState state;
    private final WeightsService weights;
    private final OptimizationRunRepository runs;
    /** Two solves on a 2-core machine: one preview at a time (a second caller waits). */
    private final Semaphore one = new Semaphore(1);

    public WeightsPreview(ClusterState state, WeightsService weights, OptimizationRunRepository runs) {
        this.state = state;
        this.weights = weights;
        this.runs = runs;
    }

    /** {@code {"weights": {knob: value}, "seconds": 2}}: knobs not named take their defaults, as a PUT would. */
    public Preview preview(JsonNode request) throws InputException {
        WeightCatalogue.Weights proposed = WeightsService.parse(request.get("weights"));
        int seconds = 2;
        JsonNode s = request.get("seconds");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || s.asLong() < 1 || s.asLong() > MAX_SECONDS) {
                throw new InputException("seconds", s.toString(), "seconds: " + s + " must be a whole number from 1 "
                        + "to " + MAX_SECONDS);
            }
            seconds = s.asInt();
        }
        Queue queue = queue();
        one.acquireUninterruptibly();
        try {
            Plan now = solve(queue.problem(), weights.current().weights(), seconds);
            Plan then = solve(queue.problem(), proposed, seconds);
            List<Change> changes = changes(now, then);
            int all = changes.size();
            return new Preview(queue.said(), seconds, side(now), side(then),
                    List.copyOf(changes.subList(0, Math.min(all, MAX_CHANGES))), Math.max(0, all - MAX_CHANGES));
        } finally {
            one.release();
        }
    }

    /** The problem to solve and what the preview says of its queue. */
    private record Queue(Problem problem, String said) {
    }

    /** The current state with the latest run's queue when it still reads on it, else with no queue. */
    private Queue queue() throws InputException {
        OptimizationRunRecord run = runs.findRecent(1).stream().findFirst()
                .flatMap(r -> runs.findById(r.id())).orElse(null);
        if (run == null) {
            return empty("none: no optimization run yet; only the running work (moves) is compared");
        }
        try {
            JsonNode doc = JSON.readTree(run.jobsDoc());
            JsonNode jobs = doc.isArray() ? doc : doc.path("jobs");
            return new Queue(state.problemWith(jobs), "the queue of optimization " + run.id() + " (" + jobs.size()
                    + " jobs)");
        } catch (InputException | java.io.IOException e) {
            return empty("none: the queue of optimization " + run.id() + " no longer reads on the current state ("
                    + e.getMessage() + ")");
        }
    }

    private Queue empty(String said) throws InputException {
        return new Queue(state.problemWith(JsonNodeFactory.instance.arrayNode()), said);
    }

    private static Plan solve(Problem problem, WeightCatalogue.Weights w, int seconds) {
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(seconds),
                Duration.ofSeconds(seconds), EnvironmentMode.NO_ASSERT, SEED, w, 20_000, false, null);
        return new PlacementSolver().solve(problem, options, p -> { }).plan();
    }

    private static Side side(Plan plan) {
        Plan.Totals t = plan.totals();
        return new Side(plan.score(), t, t.energyCostUsd() + t.nodeCostUsd(), plan.placements().size(),
                plan.unplaced().size(), plan.moves().size());
    }

    /** Each task whose place or start differs between the plans, in job and task order. */
    static List<Change> changes(Plan now, Plan then) {
        Map<String, String> a = where(now);
        Map<String, String> b = where(then);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Change> out = new ArrayList<>();
        for (String key : keys) {
            String x = a.getOrDefault(key, "stays where it runs");
            String y = b.getOrDefault(key, "stays where it runs");
            if (!x.equals(y)) {
                TaskKey task = TaskKey.parse(key);
                out.add(new Change(task.job(), task.task(), x, y));
            }
        }
        return out;
    }

    private static Map<String, String> where(Plan plan) {
        Map<String, String> out = new LinkedHashMap<>();
        plan.placements().forEach(p -> out.put(TaskKey.of(p.job(), p.task()), p.node() + " from slot " + p.startSlot()));
        plan.unplaced().forEach(u -> out.put(TaskKey.of(u.job(), u.task() == null ? 0 : u.task()), "unplaced"));
        plan.moves().forEach(m -> out.put(TaskKey.of(m.job(), m.task()), "moved " + m.fromNode() + " to " + m.toNode()));
        return out;
    }
}
