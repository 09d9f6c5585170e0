package io.gpuplacer.service.fairness;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.solve.PlacementSolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * This service as the scheduler: each hour an optimization run over the queue (quotas, preemption, fair share,
 * carbon and cost decided together, the default weights), a fixed number of local search steps so a run is the
 * same on any machine; what it starts now starts, the rest waits for the next hour's plan.
 */
final class OptimizerPolicy implements SchedulingPolicy {

    private final int steps;
    private final long seed;
    private final Duration cap;

    /** {@code steps} local search steps each hour, and never longer than {@code cap}. */
    OptimizerPolicy(int steps, long seed, Duration cap) {
        this.steps = steps;
        this.seed = seed;
        this.cap = cap;
    }

    @Override
    public String name() {
        return "gpu-placer";
    }

    @Override
    public Decisions decide(SimState state) throws InputException {
        if (state.pending.isEmpty()) {
            return new Decisions(List.of(), List.of());
        }
        Problem problem = new ProblemReader().read(state.clusterDoc(), state.jobsDoc(), state.signalsDoc());
        PlacementSolver.Options options = new PlacementSolver.Options(cap, cap,
                EnvironmentMode.NO_ASSERT, seed).withLocalSearchSteps(steps).withoutExplanations();
        Plan plan = new PlacementSolver().solve(problem, options, p -> { }).plan();
        List<Start> starts = new ArrayList<>();
        for (Plan.Placement p : plan.placements()) {
            if (p.startSlot() == 0) {
                starts.add(new Start(p.job(), p.node(), p.gpus().stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        List<Preempt> preemptions = new ArrayList<>();
        plan.preemptions().forEach(p -> preemptions.add(new Preempt(p.job(), p.forJob(), p.reason())));
        return new Decisions(starts, preemptions);
    }
}
