package io.gpuplacer.model.domain;

import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.NodeShape;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes that can take one task of a job by the per-task rules ({@link SolutionFactory#canHost}), cached per
 * kind of job. Whether a node can host depends on the node only through its {@link NodeShape} (its GPU model
 * also fixes its MIG profiles), so each shape is judged once per kind of job and the range is the nodes of the
 * shapes that pass, in node order: at 12,500 nodes of a few dozen shapes that is a scan of shape numbers
 * instead of the rules for each node. Safe for concurrent use; the cache is bounded.
 */
public final class NodeRanges {

    /** Everything of a job that {@link SolutionFactory#canHost} reads. */
    private record Kind(GpuDemand gpu, List<String> models, boolean preemptible, long cpu, long memory,
                        Topology topology, int tasks, String queue) {
        static Kind of(Job job) {
            return new Kind(job.gpu(), job.gpuModels(), job.preemptible(), job.cpuMillis(),
                    job.memoryMiB(), job.topology(), job.tasks(), job.queue() == null ? null : job.queue().id());
        }
    }

    private static final int MAX_CACHED = 10_000;

    private final List<Node> nodes;
    private final int[] shapeOf;
    private final List<Node> representative = new ArrayList<>();
    private final Map<Kind, List<Node>> cache = new ConcurrentHashMap<>();

    public NodeRanges(Problem problem) {
        this.nodes = problem.nodes();
        this.shapeOf = NodeShape.number(nodes);
        for (Node node : nodes) {
            if (shapeOf[node.index()] == representative.size()) {
                representative.add(node);
            }
        }
    }

    /** The nodes that can take one task of the job as a new placement or move, in node order. */
    public List<Node> of(Job job) {
        if (cache.size() > MAX_CACHED) {
            cache.clear(); // a bound, not an LRU: kinds repeat, and a rebuild is one scan of shape numbers
        }
        return cache.computeIfAbsent(Kind.of(job), k -> {
            boolean[] hosts = new boolean[representative.size()];
            for (int s = 0; s < hosts.length; s++) {
                hosts[s] = SolutionFactory.canHost(representative.get(s), job);
            }
            List<Node> range = new ArrayList<>();
            for (Node node : nodes) {
                if (hosts[shapeOf[node.index()]]) {
                    range.add(node);
                }
            }
            return List.copyOf(range);
        });
    }
}
