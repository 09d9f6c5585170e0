package io.gpuplacer.constraints.oracle;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.constraints.ConstraintIds;
import io.gpuplacer.constraints.CostTerms;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The placement oracle: "where should this task go", answered in microseconds per node by an incremental
 * evaluator of the same rules and prices as the constraints. It keeps each node's part of the score (the
 * node-level hard rules and soft terms, through the same {@link NodeLayout} and {@link CostTerms}) and prices a
 * candidate by re-evaluating only that node with the task added, plus the task's own terms. Timefold's
 * recommendAssignment re-scores the whole solution per candidate (tens of ms at 1,000 nodes); Timefold stays the
 * engine of optimization runs. Identity with the constraints is proven by a differential test.
 *
 * <p>Handles tasks of single-task pending jobs; gangs go through the solver.
 */
public final class PlacementOracle {

    /**
     * One candidate: where, when, how the score would change (higher is better), and how much GPU capacity the
     * node would have left at the start slot (milli-GPU; among equal scores the fullest node wins).
     */
    public record Option(Node node, int start, HardMediumSoftLongScore delta, int[] gpus, Integer migStart,
                         long gpuLeftMilli) {
    }

    private final CostModel cost;
    private final long energyWeight;
    private final long nodeWeight;
    private final long carbonWeight;
    private final long fragmentationWeight;
    private final long preemptionWeight;
    private final List<List<TaskAssignment>> onNode;
    private final HardMediumSoftLongScore[] nodeScore;
    // Load per node and slot, for a quick necessary test before the exact layout: CPU, memory, milli-GPU.
    private final long[][] cpuLoad;
    private final long[][] memLoad;
    private final long[][] gpuLoad;

    /** Indexes the solution's assigned tasks; the oracle then owns the solution's planning variables. */
    public PlacementOracle(PlacementSolution state) {
        this.cost = state.getCostModel();
        ConstraintWeightOverrides<HardMediumSoftLongScore> overrides = state.getConstraintWeightOverrides();
        this.energyWeight = weight(overrides, ConstraintIds.ENERGY_COST);
        this.nodeWeight = weight(overrides, ConstraintIds.NODE_COST);
        this.carbonWeight = weight(overrides, ConstraintIds.CARBON_COST);
        this.fragmentationWeight = weight(overrides, ConstraintIds.GPU_FRAGMENTATION);
        this.preemptionWeight = weight(overrides, ConstraintIds.PREEMPTION_RISK);
        int nodes = state.getNodes().size();
        this.onNode = new ArrayList<>(nodes);
        this.nodeScore = new HardMediumSoftLongScore[nodes];
        for (int i = 0; i < nodes; i++) {
            onNode.add(new ArrayList<>());
        }
        int horizon = state.getProblem().horizonHours();
        this.cpuLoad = new long[nodes][horizon];
        this.memLoad = new long[nodes][horizon];
        this.gpuLoad = new long[nodes][horizon];
        for (TaskAssignment task : state.getTasks()) {
            if (task.getNode() != null) {
                onNode.get(task.getNode().index()).add(task);
                load(task, task.getNode(), task.getStartSlot());
            }
        }
        for (Node node : state.getNodes()) {
            nodeScore[node.index()] = score(node, onNode.get(node.index()), null, 0).score();
        }
    }

    private static long weight(ConstraintWeightOverrides<HardMediumSoftLongScore> overrides, String id) {
        HardMediumSoftLongScore w = overrides == null ? null : overrides.getConstraintWeight(id);
        return w == null ? 1 : w.softScore();
    }

    private record Evaluation(HardMediumSoftLongScore score, NodeLayout layout) {
    }

    /** The node's part of the score with an extra task at a start slot (none when {@code extra} is null). */
    private Evaluation score(Node node, List<TaskAssignment> tasks, TaskAssignment extra, int extraStart) {
        if (tasks.isEmpty() && extra == null) {
            return new Evaluation(HardMediumSoftLongScore.ZERO, null);
        }
        List<TaskAssignment> all = new ArrayList<>(tasks.size() + 1);
        all.addAll(tasks);
        int[] starts = new int[tasks.size() + (extra == null ? 0 : 1)];
        for (int i = 0; i < tasks.size(); i++) {
            starts[i] = tasks.get(i).getStartSlot();
        }
        if (extra != null) {
            all.add(extra);
            starts[tasks.size()] = extraStart;
        }
        NodeLayout layout = NodeLayout.of(node, all, starts);
        long hard = layout.totalViolation();
        long soft = energyWeight * CostTerms.energy(layout, cost) + nodeWeight * CostTerms.nodeHours(layout, cost)
                + carbonWeight * CostTerms.carbon(layout, cost)
                + fragmentationWeight * CostTerms.fragmentation(layout, cost);
        return new Evaluation(HardMediumSoftLongScore.of(-hard, 0, -soft), layout);
    }

    /** How the score changes if the task goes to the node from the start slot. */
    public HardMediumSoftLongScore delta(TaskAssignment task, Node node, int start) {
        return evaluate(task, node, start).delta();
    }

    private Option evaluate(TaskAssignment task, Node node, int start) {
        requireSingle(task);
        Evaluation with = score(node, onNode.get(node.index()), task, start);
        HardMediumSoftLongScore delta = with.score().subtract(nodeScore[node.index()]);
        long hard = 0;
        // The per-task rules, as the constraints state them for a decision (a pending task is always one).
        if (!node.healthy() || !node.schedulable()) {
            hard++;
        }
        if (!task.getJob().allowsModel(node.gpuModel())) {
            hard++;
        }
        if (task.getJob().gpu().usesGpu() && (task.getJob().gpu().kind() == GpuKind.MIG) != node.migEnabled()) {
            hard++;
        }
        if (node.isSpot() && !task.getJob().preemptible()) {
            hard++;
        }
        if (start < task.getEarliestStart()) {
            hard += task.getEarliestStart() - start;
        } else if (start > task.getLatestStart()) {
            hard += Math.max(1, start - task.getLatestStart());
        }
        long soft = preemptionWeight * CostTerms.preemption(task, node, start, task.endSlotFor(start), cost);
        delta = delta.add(HardMediumSoftLongScore.of(-hard, task.getUnplacedWeight(), -soft));
        int index = with.layout().tasks().size() - 1;
        long milli = task.getJob().gpu().usesGpu() ? task.getJob().gpu().shareMilli() : 0;
        long gpuLeft = node.gpuCount() * 1000L - gpuLoad[node.index()][Math.min(start, gpuLoad[0].length - 1)] - milli;
        return new Option(node, start, delta, with.layout().gpus(index), with.layout().migStart(index), gpuLeft);
    }

    private void load(TaskAssignment task, Node node, int start) {
        int n = node.index();
        long milli = task.getJob().gpu().usesGpu() ? task.getJob().gpu().shareMilli() : 0;
        for (int t = start; t < task.endSlotFor(start); t++) {
            cpuLoad[n][t] += task.getJob().cpuMillis();
            memLoad[n][t] += task.getJob().memoryMiB();
            gpuLoad[n][t] += milli;
        }
    }

    /** A necessary condition for the task to fit: enough CPU, memory and GPU capacity left in every slot. */
    private boolean mayFit(TaskAssignment task, Node node, int start) {
        int n = node.index();
        long milli = task.getJob().gpu().usesGpu() ? task.getJob().gpu().shareMilli() : 0;
        for (int t = start; t < task.endSlotFor(start); t++) {
            if (cpuLoad[n][t] + task.getJob().cpuMillis() > node.cpuMillis()
                    || memLoad[n][t] + task.getJob().memoryMiB() > node.memoryMiB()
                    || gpuLoad[n][t] + milli > node.gpuCount() * 1000L) {
                return false;
            }
        }
        return true;
    }

    /**
     * The best places for an unplaced task, best first: every node of its range and start of its window that
     * keeps the hard score, by the change of the score, then by best fit. Empty when it fits nowhere.
     */
    public List<Option> recommend(TaskAssignment task, int limit) {
        requireSingle(task);
        List<Option> options = new ArrayList<>();
        for (Node node : task.getNodeRange()) {
            for (int start : task.getStartRange()) {
                if (!mayFit(task, node, start)) {
                    continue; // it would break a capacity rule: not a recommendation
                }
                Option option = evaluate(task, node, start);
                if (option.delta().hardScore() == 0) {
                    options.add(option);
                }
            }
        }
        // Best score first; among equal scores the fullest node (best fit), which keeps emptier nodes whole.
        options.sort(Comparator.comparing(Option::delta).reversed().thenComparingLong(Option::gpuLeftMilli));
        return options.subList(0, Math.min(limit, options.size()));
    }

    /**
     * Puts the task there and commits its devices: later placements go around them, as on a real node where
     * a started task keeps its GPUs. The state and the node's cached score follow.
     */
    public void assign(TaskAssignment task, Node node, int start) {
        requireSingle(task);
        if (task.getNode() != null) {
            throw new IllegalArgumentException(task.getId() + " is already placed on " + task.getNode().id());
        }
        Option option = evaluate(task, node, start);
        task.setNode(node);
        task.setStartSlot(start);
        task.holdDevices(node, option.gpus(), option.migStart());
        List<TaskAssignment> tasks = onNode.get(node.index());
        tasks.add(task);
        load(task, node, start);
        nodeScore[node.index()] = score(node, tasks, null, 0).score();
    }

    private static void requireSingle(TaskAssignment task) {
        if (task.isRunning() || task.getJob().tasks() != 1) {
            throw new IllegalArgumentException(task.getId() + ": the oracle places tasks of single-task pending "
                    + "jobs; gangs and running tasks go through the solver");
        }
    }
}
