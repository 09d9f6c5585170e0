package io.gpuplacer.service.recommend;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.plan.UnplacedReasons;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.SignalSeries;
import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.OracleView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * "Where should this job go": reads the job against the oracle's view of the current state and returns the
 * oracle's best places for all its tasks, with what each would cost. Nothing is reserved: the scheduler decides,
 * and the next cluster snapshot shows what it did.
 */
@Singleton
public class RecommendationService {

    public static final int DEFAULT_LIMIT = 3;
    public static final int MAX_LIMIT = 50;

    private final ClusterState state;
    private final int maxTasks;
    private final int budgetMillis;
    private final ProblemReader reader = new ProblemReader();
    private final Timer latency;

    public RecommendationService(ClusterState state, MeterRegistry metrics, ServiceSettings settings) {
        this.maxTasks = settings.maxRecommendationTasks();
        this.budgetMillis = settings.recommendationBudgetMillis();
        this.state = state;
        this.latency = Timer.builder("gpuplacer.recommendation.latency")
                .description("time to answer one recommendation request, reading the job included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(metrics);
    }

    /** Answers {@code {"job": <job>, "limit": n}}. */
    public RecommendationResponse recommend(JsonNode request) throws InputException {
        long started = System.nanoTime();
        try {
            return answer(request);
        } finally {
            latency.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private RecommendationResponse answer(JsonNode request) throws InputException {
        SearchBudget budget = SearchBudget.ofMillis(budgetMillis); // the reading of the job counts too
        int limit = DEFAULT_LIMIT;
        JsonNode limitField = request.get("limit");
        if (limitField != null && !limitField.isNull()) {
            if (!limitField.canConvertToInt() || !limitField.isIntegralNumber() || limitField.asInt() < 1
                    || limitField.asInt() > MAX_LIMIT) {
                throw new InputException("limit", limitField.toString(), "limit: " + limitField + " must be a whole "
                        + "number from 1 to " + MAX_LIMIT);
            }
            limit = limitField.asInt();
        }
        if (!request.has("job")) {
            throw new InputException("job", null, "job: missing; expected the pending job to place (interchange-v1 "
                    + "job, as in a jobs document)");
        }
        OracleView view = state.view();
        Problem base = view.base();
        Job job = reader.readJob(request.get("job"), "job", view.runningJobIds(), base.now(), base.queues());
        if (job.tasks() > maxTasks) { // a gang's packing grows with its size: keep the hot path bounded
            throw new InputException("job.tasks", Integer.toString(job.tasks()), "job.tasks: " + job.tasks()
                    + " is more than a recommendation takes (" + maxTasks + ", gpuplacer.max-recommendation-tasks); "
                    + "submit it as an optimization run");
        }
        List<TaskAssignment> tasks = view.tasksOf(job);
        List<PlacementOracle.JobOption> options = tasks.get(0).isPinned() ? List.of()
                : view.oracle().recommendJob(tasks, limit, budget);
        List<RecommendationResponse.Recommendation> out = new ArrayList<>(options.size());
        for (PlacementOracle.JobOption option : options) {
            out.add(toRecommendation(base, job, option));
        }
        List<String> reasons;
        if (budget.cutShort()) {
            reasons = List.of("the search stopped at its time budget (" + budgetMillis + " ms, "
                    + "gpuplacer.recommendation-budget-millis): " + (out.isEmpty() ? "no place found by then; the job "
                    + "may still fit (ask again, or submit it as an optimization run)" : "these are the best places "
                    + "found by then, not necessarily the best there are"));
        } else {
            reasons = out.isEmpty() ? List.of(UnplacedReasons.forPendingJob(base, tasks, view.oracle().quotas()))
                    : List.of();
        }
        return new RecommendationResponse(out, reasons, base.now().toString(), view.weightsVersion(),
                !budget.cutShort());
    }

    private static RecommendationResponse.Recommendation toRecommendation(Problem base, Job job,
                                                                          PlacementOracle.JobOption option) {
        List<RecommendationResponse.TaskPlacement> placements = new ArrayList<>();
        Set<Node> nodes = new LinkedHashSet<>();
        for (PlacementOracle.TaskPlacement p : option.placements()) {
            placements.add(new RecommendationResponse.TaskPlacement(p.task().getTask(), p.node().id(),
                    p.gpus() == null ? null : Arrays.stream(p.gpus()).boxed().toList(), p.migStart(), p.start()));
            nodes.add(p.node());
        }
        int start = option.placements().get(0).start();
        int end = option.placements().get(0).task().accountedEndFor(start);
        return new RecommendationResponse.Recommendation(placements, option.delta().toString(),
                base.now().plusSeconds(3600L * start).toString(), explain(job, nodes, start, end, option.delta()));
    }

    private static List<String> explain(Job job, Set<Node> nodes, int start, int end, HardMediumSoftLongScore delta) {
        List<String> lines = new ArrayList<>();
        Node first = nodes.iterator().next();
        lines.add(String.format(Locale.ROOT, "%d task%s on %s (%s, zone %s, rack %s, block %s%s)", job.tasks(),
                job.tasks() == 1 ? "" : "s", nodes.stream().map(Node::id).toList(), first.gpuModel(),
                first.zone().id(), first.rackKey(), first.blockKey(), first.isSpot() ? ", SPOT" : ""));
        SignalSeries signals = first.zone().signals();
        int slots = Math.max(1, end - start);
        lines.add(String.format(Locale.ROOT, "starts in slot %d and holds slots %d..%d; in %s those hours average "
                        + "%.0f g CO2e/kWh and %.1f USD/MWh%s", start, start, end - 1, first.zone().id(),
                signals.carbonSum(start, end) / slots, signals.priceSum(start, end) / slots,
                signals.estimateNote(start, end)));
        lines.add(String.format(Locale.ROOT, "score change %s: %+d medium is the priority-weighted work placed; soft "
                        + "%+.2f USD is energy, node hours, carbon, fragmentation and spot risk at the current weights",
                delta, delta.mediumScore(), delta.softScore() / (double) CostModel.MICRO));
        return lines;
    }
}
