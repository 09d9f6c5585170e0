package io.gpuplacer.service.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.util.List;

/**
 * Our placement oracle deciding each arriving pod in turn, no moves: the trace becomes an interchange problem
 * (one zone, one hour, each pod a job), and the oracle scores every node with the objective's own terms. The
 * openb traces have no power or prices, so of the soft terms only fragmentation speaks (FGD's measure for the
 * workload's demand shapes); among equally fragmenting places the oracle takes the fullest node (best fit),
 * where FGD takes the first.
 */
final class OraclePolicy implements SimPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<TaskAssignment> tasks;
    private final PlacementOracle oracle;

    OraclePolicy(List<OpenbNode> nodes, List<OpenbPod> arrivals, WorkloadProfile profile) throws InputException {
        ObjectNode cluster = JSON.createObjectNode();
        cluster.putArray("zones").addObject().put("id", "openb").put("pue", 1.0);
        ArrayNode nodeArray = cluster.putArray("nodes");
        for (OpenbNode n : nodes) {
            nodeArray.addObject().put("id", n.name()).put("zone", "openb").put("gpuModel", n.model())
                    .put("gpuCount", n.gpus()).put("cpuMillis", n.cpuMilli()).put("memoryMiB", n.memoryMib())
                    .put("costPerHour", 0.0).put("baseWatts", 0).put("gpuBusyWatts", 0);
        }
        ObjectNode queue = JSON.createObjectNode();
        queue.put("now", "2023-01-01T00:00:00Z").put("horizonHours", 1);
        ArrayNode jobs = queue.putArray("jobs");
        for (OpenbPod pod : arrivals) {
            ObjectNode job = jobs.addObject();
            job.put("id", pod.name()).put("priority", 1).put("tasks", 1).put("cpuMillis", pod.cpuMilli())
                    .put("memoryMiB", pod.memoryMib()).put("durationHours", 1).put("preemptible", true);
            ObjectNode gpu = job.putObject("gpu");
            if (pod.numGpu() == 0) {
                gpu.put("kind", "NONE");
            } else if (pod.numGpu() > 1 || pod.gpuMilli() >= 1000) {
                gpu.put("kind", "WHOLE").put("count", pod.numGpu());
            } else {
                gpu.put("kind", "SHARED").put("milli", pod.gpuMilli());
            }
            ArrayNode models = job.putArray("gpuModels");
            pod.gpuSpec().forEach(models::add);
        }
        Problem problem = new ProblemReader().read(cluster, queue, null);
        CostModel prices = new CostModel(0, 1, 0, 0, 0, 0, 1.0, profile);
        PlacementSolution solution = SolutionFactory.build(problem, prices,
                ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides.none());
        this.tasks = solution.getTasks();
        this.oracle = new PlacementOracle(solution);
    }

    @Override
    public Choice choose(OpenbPod pod, int index, SimCluster cluster) {
        TaskAssignment task = tasks.get(index);
        List<PlacementOracle.Option> best = oracle.recommend(task, 1);
        if (best.isEmpty()) {
            return null;
        }
        PlacementOracle.Option option = best.get(0);
        oracle.assign(task, option.node(), option.start());
        return new Choice(option.node().index(), option.gpus());
    }
}
