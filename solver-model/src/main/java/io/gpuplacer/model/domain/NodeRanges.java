package io.gpuplacer.model.domain;

import io.gpuplacer.model.problem.GpuDemand;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.NodeShape;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Topology;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes that can take one task of a job by the per-task rules ({@link SolutionFactory#canHost}), cached per
 * kind of job. Whether a node can host depends on the node only through its {@link HostShape} (its GPU model
 * also fixes its MIG profiles), so each host shape is judged once per kind of job and the range is the nodes of
 * the shapes that pass, in node order: at 12,500 nodes of a few dozen host shapes that is a scan of shape numbers
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

    // Kinds differ by CPU and memory too: a queue of 30,000 jobs may hold that many. Ranges are few (one per set
    // of shapes that pass) and are kept, so that equal ranges stay one instance, which the solver compares at once.
    private static final int MAX_CACHED = 100_000;

    private final List<Node> nodes;
    private final int[] shapeOf;
    private final List<Node> representative = new ArrayList<>();
    private final Map<Kind, NodeList> cache = new ConcurrentHashMap<>();
    // Kinds that pass the same shapes share one list: one value range for the solver, not one per kind.
    private final Map<BitSet, NodeList> byShapes = new ConcurrentHashMap<>();
    private final Map<RangeAndNode, NodeList> withNode = new ConcurrentHashMap<>();

    /** A range (by identity: ranges are kept as one instance each) and a node index. */
    private record RangeAndNode(NodeList range, int node) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RangeAndNode r && r.range == range && r.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(range) * 31 + node;
        }
    }

    /**
     * What of a node {@link SolutionFactory#canHost} reads: fewer properties than a {@link NodeShape}, whose
     * prices, power and zone set apart nodes that host the same jobs (2,021 node shapes but 78 host shapes in a
     * generated 12,500-node fleet).
     */
    record HostShape(String model, int gpus, List<List<Integer>> islands, boolean mig, java.util.Set<String> migProfiles,
                     long cpu, long memory, boolean spot, boolean healthy, boolean schedulable) {
        static HostShape of(Node n) {
            return new HostShape(n.gpuModel(), n.gpuCount(), n.islands(), n.migEnabled(), n.migProfiles().keySet(),
                    n.cpuMillis(), n.memoryMiB(), n.isSpot(), n.healthy(), n.schedulable());
        }
    }

    public NodeRanges(Problem problem) {
        this.nodes = problem.nodes();
        this.shapeOf = new int[nodes.size()];
        Map<HostShape, Integer> ids = new java.util.HashMap<>();
        for (Node node : nodes) {
            shapeOf[node.index()] = ids.computeIfAbsent(HostShape.of(node), k -> ids.size());
        }
        for (Node node : nodes) {
            if (shapeOf[node.index()] == representative.size()) {
                representative.add(node);
            }
        }
    }

    /** A running task's range: the job's, with the node it runs on (one list per range and node). */
    public NodeList withNode(Job job, Node node) {
        NodeList range = of(job);
        if (range.contains(node)) {
            return range;
        }
        return withNode.computeIfAbsent(new RangeAndNode(range, node.index()), k -> range.with(node));
    }

    /** The nodes that can take one task of the job as a new placement or move, in node order. */
    public NodeList of(Job job) {
        if (cache.size() > MAX_CACHED) {
            cache.clear(); // a bound, not an LRU: kinds repeat, and a rebuild is one scan of shape numbers
            withNode.clear();
        }
        return cache.computeIfAbsent(Kind.of(job), k -> {
            BitSet hosts = new BitSet(representative.size());
            for (int s = 0; s < representative.size(); s++) {
                hosts.set(s, SolutionFactory.canHost(representative.get(s), job));
            }
            return byShapes.computeIfAbsent(hosts, h -> {
                List<Node> range = new ArrayList<>();
                for (Node node : nodes) {
                    if (h.get(shapeOf[node.index()])) {
                        range.add(node);
                    }
                }
                return NodeList.of(range);
            });
        });
    }
}
