package io.gpuplacer.service.state;

import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.NodeRanges;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The current state as the oracle sees it for one hour: the cluster and signals read with an empty queue (slot 0
 * = {@code now}), the running work indexed by a {@link PlacementOracle} at one weights version. Built once per
 * change of state, weights or hour and then only read, so any number of requests use it at once.
 */
public final class OracleView {

    private final Problem base;
    private final PlacementOracle oracle;
    private final long weightsVersion;
    private final Set<String> runningJobIds;
    private final NodeRanges ranges;
    private volatile Map<String, Node> nodesById;
    private final java.util.function.Supplier<PlacementOracle> fresh;

    OracleView(Problem base, java.util.function.Supplier<PlacementOracle> fresh, long weightsVersion) {
        this(base, fresh, weightsVersion, new NodeRanges(base));
    }

    private OracleView(Problem base, java.util.function.Supplier<PlacementOracle> fresh, long weightsVersion,
                       NodeRanges ranges) {
        this.base = base;
        this.fresh = fresh;
        this.oracle = fresh.get();
        this.weightsVersion = weightsVersion;
        this.runningJobIds = ProblemReader.runningJobIds(base);
        this.ranges = ranges;
    }

    /** A view of a problem read elsewhere (tools, tests), at the default weights. */
    public static OracleView of(Problem base) {
        io.gpuplacer.constraints.WeightCatalogue.Weights w = io.gpuplacer.constraints.WeightCatalogue.defaults();
        return new OracleView(base, () -> new PlacementOracle(io.gpuplacer.model.domain.SolutionFactory.build(base,
                w.costModel(), w.overrides())), 0);
    }

    /**
     * A view of the same state with an oracle of its own, to commit placements to (this one is shared and only
     * read): several actions of one pass are checked together, each after the ones before it took their room.
     */
    public OracleView scratch() {
        return new OracleView(base, fresh, weightsVersion, ranges);
    }

    /** Ids of the running jobs, which a job asking for a place may not use. */
    public Set<String> runningJobIds() {
        return runningJobIds;
    }

    /** The running task of that job and index in this state, or null. */
    public io.gpuplacer.model.problem.RunningTask runningTask(String job, int task) {
        for (io.gpuplacer.model.problem.RunningTask r : base.running()) {
            if (r.job().id().equals(job) && r.task() == task) {
                return r;
            }
        }
        return null;
    }

    /** The node of that id in this state, or null. */
    public Node node(String id) {
        Map<String, Node> byId = nodesById;
        if (byId == null) { // built on first use: most views never answer the extender
            Map<String, Node> m = new java.util.HashMap<>();
            base.nodes().forEach(n -> m.put(n.id(), n));
            nodesById = byId = Map.copyOf(m);
        }
        return byId.get(id);
    }

    public Problem base() {
        return base;
    }

    public PlacementOracle oracle() {
        return oracle;
    }

    public long weightsVersion() {
        return weightsVersion;
    }

    /** The job's tasks with their value ranges on this state (eligible nodes are cached per job shape). */
    public List<TaskAssignment> tasksOf(Job job) {
        return SolutionFactory.pendingTasks(base, job, ranges);
    }
}
