package io.gpuplacer.service.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;

import java.util.List;
import java.util.Map;

/**
 * A replay's state as an interchange problem: one zone and one hour; pods already placed are running tasks
 * (migratable, holding their GPUs), the given pods are pending jobs of one task. The openb traces have no power
 * or prices, so nodes cost nothing and draw nothing.
 */
final class TraceProblem {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a placed pod runs: node index and GPU indices. */
    record Placed(int node, int[] gpus) {
    }

    private TraceProblem() {
    }

    static Problem of(List<OpenbNode> nodes, List<OpenbPod> arrivals, Map<Integer, Placed> placed,
                      List<Integer> pending) throws InputException {
        ObjectNode cluster = JSON.createObjectNode();
        cluster.putArray("zones").addObject().put("id", "openb").put("pue", 1.0);
        ArrayNode nodeArray = cluster.putArray("nodes");
        for (OpenbNode n : nodes) {
            nodeArray.addObject().put("id", n.name()).put("zone", "openb").put("gpuModel", n.model())
                    .put("gpuCount", n.gpus()).put("cpuMillis", n.cpuMilli()).put("memoryMiB", n.memoryMib())
                    .put("costPerHour", 0.0).put("baseWatts", 0).put("gpuBusyWatts", 0);
        }
        ArrayNode running = cluster.putArray("running");
        placed.forEach((index, where) -> {
            OpenbPod pod = arrivals.get(index);
            ObjectNode r = running.addObject();
            r.put("job", pod.name()).put("task", 0).put("node", nodes.get(where.node()).name());
            ArrayNode gpus = r.putArray("gpus");
            for (int g : where.gpus()) {
                gpus.add(g);
            }
            r.putNull("migStart");
            r.put("remainingHours", 1).put("migratable", true);
            fields(r, pod);
        });
        ObjectNode queue = JSON.createObjectNode();
        queue.put("now", "2023-01-01T00:00:00Z").put("horizonHours", 1);
        ArrayNode jobs = queue.putArray("jobs");
        for (int index : pending) {
            OpenbPod pod = arrivals.get(index);
            ObjectNode job = jobs.addObject();
            job.put("id", pod.name()).put("tasks", 1).put("durationHours", 1);
            fields(job, pod);
        }
        return new ProblemReader().read(cluster, queue, null);
    }

    private static void fields(ObjectNode job, OpenbPod pod) {
        job.put("priority", 1).put("cpuMillis", pod.cpuMilli()).put("memoryMiB", pod.memoryMib())
                .put("preemptible", true);
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
}
