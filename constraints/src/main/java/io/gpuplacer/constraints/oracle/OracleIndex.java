package io.gpuplacer.constraints.oracle;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import io.gpuplacer.constraints.ConstraintIds;
import io.gpuplacer.constraints.CostTerms;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.NodeShape;
import io.gpuplacer.model.quota.QuotaBook;
import io.gpuplacer.model.quota.QuotaLedger;
import io.gpuplacer.model.problem.Zone;
import io.gpuplacer.model.rules.TaskRule;
import io.gpuplacer.model.rules.TimeWindow;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the oracle knows of the state: the tasks on each node with the node's part of the score (the node-level
 * rules and soft terms, through the same {@link NodeLayout} and {@link CostTerms} as the constraints), the load per
 * node and slot for a quick necessary test, and the classes of identical empty nodes. It prices a candidate by
 * laying out one node with the extra tasks, plus the tasks' own terms; only {@link #commit} changes it.
 */
final class OracleIndex {

    /** The node's part of the score with the extra tasks, and its layout (null for an empty node). */
    record Evaluation(HardMediumSoftLongScore score, NodeLayout layout) {
    }

    private final CostModel cost;
    private final long energyWeight;
    private final long nodeWeight;
    private final long carbonWeight;
    private final long fragmentationWeight;
    private final long preemptionWeight;
    private final long blockSpreadWeight;
    private final long fairSharingWeight;
    private final QuotaLedger quotas;
    private final List<List<TaskAssignment>> onNode;
    private final HardMediumSoftLongScore[] nodeScore;
    // Load per node and slot, for a quick necessary test before the exact layout: CPU, memory, milli-GPU.
    private final long[][] cpuLoad;
    private final long[][] memLoad;
    private final long[][] gpuLoad;
    // Nodes without tasks fall into classes of identical nodes: adding a task to any of them changes the score by
    // the same amount, so one per class is evaluated. -1 = a node with tasks.
    private final int[] classOf;
    private final List<List<Node>> classMembers = new ArrayList<>();

    OracleIndex(PlacementSolution state) {
        this.cost = state.getCostModel();
        ConstraintWeightOverrides<HardMediumSoftLongScore> overrides = state.getConstraintWeightOverrides();
        this.energyWeight = weight(overrides, ConstraintIds.ENERGY_COST);
        this.nodeWeight = weight(overrides, ConstraintIds.NODE_COST);
        this.carbonWeight = weight(overrides, ConstraintIds.CARBON_COST);
        this.fragmentationWeight = weight(overrides, ConstraintIds.GPU_FRAGMENTATION);
        this.preemptionWeight = weight(overrides, ConstraintIds.PREEMPTION_RISK);
        this.blockSpreadWeight = weight(overrides, ConstraintIds.GANG_BLOCK_SPREAD);
        this.fairSharingWeight = weight(overrides, ConstraintIds.FAIR_SHARING);
        this.quotas = new QuotaLedger(state.getTasks().isEmpty() ? QuotaBook.of(null)
                : state.getTasks().get(0).getQuotaBook());
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
                quotas.commit(task, task.getNode(), task.getStartSlot());
            }
        }
        for (Node node : state.getNodes()) {
            nodeScore[node.index()] = score(node, List.of(), 0).score();
        }
        this.classOf = new int[nodes];
        Map<NodeShape, Integer> classes = new HashMap<>();
        for (Node node : state.getNodes()) {
            if (!onNode.get(node.index()).isEmpty()) {
                classOf[node.index()] = -1;
                continue;
            }
            int c = classes.computeIfAbsent(NodeShape.of(node), k -> {
                classMembers.add(new ArrayList<>());
                return classMembers.size() - 1;
            });
            classOf[node.index()] = c;
            classMembers.get(c).add(node);
        }
    }

    private static long weight(ConstraintWeightOverrides<HardMediumSoftLongScore> overrides, String id) {
        HardMediumSoftLongScore w = overrides == null ? null : overrides.getConstraintWeight(id);
        return w == null ? 1 : w.softScore();
    }

    /** The node's part of the score with extra tasks from one start slot (none when {@code extras} is empty). */
    Evaluation score(Node node, List<TaskAssignment> extras, int extraStart) {
        List<TaskAssignment> tasks = onNode.get(node.index());
        if (tasks.isEmpty() && extras.isEmpty()) {
            return new Evaluation(HardMediumSoftLongScore.ZERO, null);
        }
        List<TaskAssignment> all = new ArrayList<>(tasks.size() + extras.size());
        all.addAll(tasks);
        all.addAll(extras);
        int[] starts = new int[all.size()];
        for (int i = 0; i < tasks.size(); i++) {
            starts[i] = tasks.get(i).getStartSlot();
        }
        for (int i = tasks.size(); i < starts.length; i++) {
            starts[i] = extraStart;
        }
        NodeLayout layout = NodeLayout.of(node, all, starts);
        long hard = layout.totalViolation();
        long soft = energyWeight * CostTerms.energy(layout, cost) + nodeWeight * CostTerms.nodeHours(layout, cost)
                + carbonWeight * CostTerms.carbon(layout, cost)
                + fragmentationWeight * CostTerms.fragmentation(layout, cost);
        return new Evaluation(HardMediumSoftLongScore.of(-hard, 0, -soft), layout);
    }

    /** The node's part of the score as it is now. */
    HardMediumSoftLongScore nodeScore(Node node) {
        return nodeScore[node.index()];
    }

    /** Tasks on the node now (their layout indices come first in an {@link Evaluation}). */
    int tasksOn(Node node) {
        return onNode.get(node.index()).size();
    }

    /** The per-task rules and terms, as the constraints state them for a pending task placed there. */
    HardMediumSoftLongScore taskTerms(TaskAssignment task, Node node, int start) {
        long hard = TaskRule.countBroken(task.getJob(), node, false)
                + TimeWindow.penalty(start, task.getEarliestStart(), task.getLatestStart());
        return HardMediumSoftLongScore.of(-hard, task.getUnplacedWeight(), 0);
    }

    /**
     * The expected spot loss of the task's gang on the node, counted once for the first of its tasks there (v1.1:
     * per gang, node and slot; the tasks of a pending gang share their start and hours).
     */
    HardMediumSoftLongScore spotTerm(TaskAssignment task, Node node) {
        return HardMediumSoftLongScore.ofSoft(-preemptionWeight * CostTerms.preemption(task.getJob(),
                task.getGangShare(), node, task.getOccupiedSlots(), cost));
    }

    /**
     * What the gang on these nodes from the start changes of the queue rules (section 9), as the constraints
     * score it: the growth of the Q1 and Q2 excess (hard) and the change of the fair-share cost (soft).
     */
    HardMediumSoftLongScore quotaTerm(List<TaskAssignment> gang, Node[] nodes, int start) {
        QuotaLedger.Change change = quotas.change(gang, nodes, start);
        long soft = 0;
        for (QuotaLedger.Touched t : change.touched()) {
            soft += CostTerms.fairSharing(t.after().fairShareUnits(), cost)
                    - CostTerms.fairSharing(t.before().fairShareUnits(), cost);
        }
        return HardMediumSoftLongScore.of(-change.excessUnits(), 0, -fairSharingWeight * soft);
    }

    QuotaLedger quotas() {
        return quotas;
    }

    /** The nodes whose flavor the task's queue has room on from the start (all of them for work of no queue). */
    List<Node> withQuotaRoom(TaskAssignment task, int start, List<Node> nodes) {
        return quotas.withRoom(task, start, nodes);
    }

    /** The price of an ANY gang spread over {@code blocks} network blocks. */
    HardMediumSoftLongScore blockSpread(int blocks) {
        return HardMediumSoftLongScore.ofSoft(-blockSpreadWeight * CostTerms.blockSpread(blocks, cost));
    }

    static long milli(TaskAssignment task) {
        return task.getJob().gpu().usesGpu() ? task.getJob().gpu().shareMilli() : 0;
    }

    /** Milli-GPU the node would have free at the start slot with {@code addedMilli} more. */
    long gpuLeft(Node node, int start, long addedMilli) {
        return node.gpuCount() * 1000L - gpuLoad[node.index()][Math.min(start, gpuLoad[0].length - 1)] - addedMilli;
    }

    private void load(TaskAssignment task, Node node, int start) {
        int n = node.index();
        long milli = milli(task);
        for (int t = start; t < task.endSlotFor(start); t++) {
            cpuLoad[n][t] += task.getJob().cpuMillis();
            memLoad[n][t] += task.getJob().memoryMiB();
            gpuLoad[n][t] += milli;
        }
    }

    /**
     * A necessary condition for {@code copies} tasks of the task's job to fit from the start slot: enough CPU,
     * memory and GPU capacity left in every slot.
     */
    boolean mayFit(TaskAssignment task, Node node, int start, int copies) {
        int n = node.index();
        long cpu = copies * task.getJob().cpuMillis();
        long mem = copies * task.getJob().memoryMiB();
        long milli = copies * milli(task);
        for (int t = start; t < task.endSlotFor(start); t++) {
            if (cpuLoad[n][t] + cpu > node.cpuMillis() || memLoad[n][t] + mem > node.memoryMiB()
                    || gpuLoad[n][t] + milli > node.gpuCount() * 1000L) {
                return false;
            }
        }
        return true;
    }

    /** The class of identical empty nodes the node belongs to, or -1 when it holds tasks. */
    int classOf(Node node) {
        return classOf[node.index()];
    }

    /**
     * The nodes of a range worth evaluating: every node with tasks, and of the identical empty nodes one per class
     * (its result stands for the others; {@link #alike} brings them back).
     */
    List<Node> representatives(List<Node> range) {
        boolean[] classDone = new boolean[classMembers.size()];
        List<Node> out = new ArrayList<>(range.size());
        for (Node node : range) {
            int c = classOf[node.index()];
            if (c >= 0) {
                if (classDone[c]) {
                    continue;
                }
                classDone[c] = true;
            }
            out.add(node);
        }
        return out;
    }

    /** The node and, when it is empty, the other empty nodes of its class in the range (in index order). */
    List<Node> alike(Node node, BitSet range) {
        int c = classOf[node.index()];
        if (c < 0) {
            return List.of(node);
        }
        List<Node> members = new ArrayList<>();
        for (Node m : classMembers.get(c)) {
            if (range.get(m.index())) {
                members.add(m);
            }
        }
        return members;
    }

    static BitSet rangeOf(TaskAssignment task) {
        BitSet range = new BitSet();
        task.getNodeRange().forEach(n -> range.set(n.index()));
        return range;
    }

    /**
     * The start slots worth trying for a task in these zones: all of a short window; in a long one the earliest
     * and, per zone, the {@code max(4, limit)} starts whose hours cost least at the zone's power price and carbon
     * intensity under the current weights (every hour the task runs, past the horizon too). On an empty node a
     * start changes the score by exactly that cost (its marginal kWh are the same every hour), so nothing better
     * is skipped there; on a busy node it is a heuristic.
     */
    List<Integer> startsToTry(TaskAssignment task, Collection<Zone> zones, int limit) {
        List<Integer> range = task.getStartRange();
        int keep = Math.max(4, limit);
        if (range.size() <= keep + 1) {
            return range;
        }
        TreeSet<Integer> chosen = new TreeSet<>();
        chosen.add(range.get(0));
        double priceWeight = energyWeight * cost.energyCostMultiplier() * 1000.0;
        double carbonWeightPerGram = carbonWeight * cost.carbonPriceUsdPerTonne();
        for (Zone zone : zones) {
            var signals = zone.signals();
            List<Integer> byCost = new ArrayList<>(range);
            byCost.sort(Comparator.comparingDouble(s -> priceWeight * signals.priceSum(s, task.accountedEndFor(s))
                    + carbonWeightPerGram * signals.carbonSum(s, task.accountedEndFor(s))));
            chosen.addAll(byCost.subList(0, keep));
        }
        return List.copyOf(chosen);
    }

    /** Records the task on the node from the start (its devices already held): loads, score and classes follow. */
    void commit(TaskAssignment task, Node node, int start) {
        onNode.get(node.index()).add(task);
        if (classOf[node.index()] >= 0) {
            classMembers.get(classOf[node.index()]).remove(node);
            classOf[node.index()] = -1;
        }
        load(task, node, start);
        quotas.commit(task, node, start);
        nodeScore[node.index()] = score(node, List.of(), 0).score();
    }
}
