package io.gpuplacer.service.simulate;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Our placement oracle deciding each arriving pod in turn, no moves: the replay becomes an interchange problem
 * ({@link TraceProblem}), and the oracle scores every node with the objective's own terms. The openb traces have
 * no power or prices, so of the soft terms only fragmentation speaks (FGD's measure for the workload's demand
 * shapes, knowing which GPU models each may use); among equally fragmenting places the oracle takes the fullest
 * node (best fit), where FGD takes the first.
 */
final class OraclePolicy implements SimPolicy {

    private final int first;
    private final List<TaskAssignment> pending;
    private final PlacementOracle oracle;

    OraclePolicy(List<OpenbNode> nodes, List<OpenbPod> arrivals, WorkloadProfile profile) throws InputException {
        this(nodes, arrivals, profile, Map.of(), 0);
    }

    /** For the arrivals from {@code first} on, with the pods in {@code placed} already running. */
    OraclePolicy(List<OpenbNode> nodes, List<OpenbPod> arrivals, WorkloadProfile profile,
                 Map<Integer, TraceProblem.Placed> placed, int first) throws InputException {
        List<Integer> future = IntStream.range(first, arrivals.size()).boxed().toList();
        PlacementSolution solution = SolutionFactory.build(TraceProblem.of(nodes, arrivals, placed, future),
                prices(profile), ConstraintWeightOverrides.none());
        this.first = first;
        this.pending = solution.getTasks().stream().filter(t -> !t.isRunning()).toList();
        this.oracle = new PlacementOracle(solution);
    }

    /** Fragmentation only, at 1 USD per GPU-hour (the scale does not matter with one term). */
    static CostModel prices(WorkloadProfile profile) {
        return new CostModel(0, 0, 0, 0, 0, 0, 1.0, 0, profile);
    }

    @Override
    public Choice choose(OpenbPod pod, int index, SimCluster cluster) {
        TaskAssignment task = pending.get(index - first);
        List<PlacementOracle.Option> best = oracle.recommend(task, 1);
        if (best.isEmpty()) {
            return null;
        }
        PlacementOracle.Option option = best.get(0);
        oracle.assign(task, option.node(), option.start());
        return new Choice(option.node().index(), option.gpus());
    }
}
