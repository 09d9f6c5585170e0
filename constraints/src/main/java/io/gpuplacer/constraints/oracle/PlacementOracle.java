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
import io.gpuplacer.model.rules.TaskRule;
import io.gpuplacer.model.rules.TimeWindow;

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
 * <p>{@link #recommend} and {@link #assign} take tasks of single-task pending jobs; {@link #recommendJob} takes
 * whole jobs, gangs included (all tasks from one start, inside the gang's topology scope). Only {@link #assign}
 * changes the oracle: between assignments, recommendations may be asked from many threads at once.
 */
public final class PlacementOracle {

    /**
     * One candidate: where, when, how the score would change (higher is better), and how much GPU capacity the
     * node would have left at the start slot (milli-GPU; among equal scores the fullest node wins).
     */
    public record Option(Node node, int start, HardMediumSoftLongScore delta, int[] gpus, Integer migStart,
                         long gpuLeftMilli) {
    }

    /** One task of a job's recommendation: where it goes, its devices there, and from which slot. */
    public record TaskPlacement(TaskAssignment task, Node node, int start, int[] gpus, Integer migStart) {
    }

    /**
     * A place for a whole job: every task placed (a gang all from one start), the change of the score on every
     * level (hard 0: nothing breaks), and the milli-GPU left free on the nodes it uses.
     */
    public record JobOption(List<TaskPlacement> placements, HardMediumSoftLongScore delta, long gpuLeftMilli) {
    }

    private static final Comparator<JobOption> BEST_JOB_FIRST = Comparator.comparing(JobOption::delta).reversed()
            .thenComparingLong(JobOption::gpuLeftMilli);

    private final CostModel cost;
    private final long energyWeight;
    private final long nodeWeight;
    private final long carbonWeight;
    private final long fragmentationWeight;
    private final long preemptionWeight;
    private final long blockSpreadWeight;
    private final List<List<TaskAssignment>> onNode;
    private final HardMediumSoftLongScore[] nodeScore;
    // Load per node and slot, for a quick necessary test before the exact layout: CPU, memory, milli-GPU.
    private final long[][] cpuLoad;
    private final long[][] memLoad;
    private final long[][] gpuLoad;
    // Nodes without tasks fall into classes of identical nodes (all but name, rack and block alike): adding a task
    // to any of them changes the score by the same amount, so one per class is evaluated. -1 = a node with tasks.
    private final int[] classOf;
    private final List<List<Node>> classMembers = new ArrayList<>();

    /** Indexes the solution's assigned tasks; the oracle then owns the solution's planning variables. */
    public PlacementOracle(PlacementSolution state) {
        this.cost = state.getCostModel();
        ConstraintWeightOverrides<HardMediumSoftLongScore> overrides = state.getConstraintWeightOverrides();
        this.energyWeight = weight(overrides, ConstraintIds.ENERGY_COST);
        this.nodeWeight = weight(overrides, ConstraintIds.NODE_COST);
        this.carbonWeight = weight(overrides, ConstraintIds.CARBON_COST);
        this.fragmentationWeight = weight(overrides, ConstraintIds.GPU_FRAGMENTATION);
        this.preemptionWeight = weight(overrides, ConstraintIds.PREEMPTION_RISK);
        this.blockSpreadWeight = weight(overrides, ConstraintIds.GANG_BLOCK_SPREAD);
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
            nodeScore[node.index()] = score(node, onNode.get(node.index()), List.of(), 0).score();
        }
        this.classOf = new int[nodes];
        java.util.Map<Shape, Integer> classes = new java.util.HashMap<>();
        for (Node node : state.getNodes()) {
            if (!onNode.get(node.index()).isEmpty()) {
                classOf[node.index()] = -1;
                continue;
            }
            int c = classes.computeIfAbsent(Shape.of(node), k -> {
                classMembers.add(new ArrayList<>());
                return classMembers.size() - 1;
            });
            classOf[node.index()] = c;
            classMembers.get(c).add(node);
        }
    }

    /** What makes two empty nodes score alike: every property but name, rack and block. */
    private record Shape(int zone, String model, int gpus, List<List<Integer>> islands, boolean mig, long cpu,
                         long memory, io.gpuplacer.model.problem.CapacityType capacity, double interruption,
                         double costPerHour, double baseWatts, double busyWatts, boolean alwaysOn, boolean healthy,
                         boolean schedulable) {
        static Shape of(Node n) {
            return new Shape(n.zone().index(), n.gpuModel(), n.gpuCount(), n.islands(), n.migEnabled(),
                    n.cpuMillis(), n.memoryMiB(), n.capacityType(), n.interruptionPerHour(), n.costPerHour(),
                    n.baseWatts(), n.gpuBusyWatts(), n.alwaysOn(), n.healthy(), n.schedulable());
        }
    }

    private static long weight(ConstraintWeightOverrides<HardMediumSoftLongScore> overrides, String id) {
        HardMediumSoftLongScore w = overrides == null ? null : overrides.getConstraintWeight(id);
        return w == null ? 1 : w.softScore();
    }

    private record Evaluation(HardMediumSoftLongScore score, NodeLayout layout) {
    }

    /** The node's part of the score with extra tasks from one start slot (none when {@code extras} is empty). */
    private Evaluation score(Node node, List<TaskAssignment> tasks, List<TaskAssignment> extras, int extraStart) {
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

    /** How the score changes if the task goes to the node from the start slot. */
    public HardMediumSoftLongScore delta(TaskAssignment task, Node node, int start) {
        return evaluate(task, node, start).delta();
    }

    private Option evaluate(TaskAssignment task, Node node, int start) {
        requireSingle(task);
        Evaluation with = score(node, onNode.get(node.index()), List.of(task), start);
        HardMediumSoftLongScore delta = with.score().subtract(nodeScore[node.index()]).add(taskTerms(task, node, start))
                .add(spotTerm(task, node));
        int index = with.layout().tasks().size() - 1;
        long gpuLeft = gpuLeft(node, start, milli(task));
        return new Option(node, start, delta, with.layout().gpus(index), with.layout().migStart(index), gpuLeft);
    }

    /** The per-task rules and terms, as the constraints state them for a pending task placed there. */
    private HardMediumSoftLongScore taskTerms(TaskAssignment task, Node node, int start) {
        long hard = TaskRule.countBroken(task.getJob(), node, false)
                + TimeWindow.penalty(start, task.getEarliestStart(), task.getLatestStart());
        return HardMediumSoftLongScore.of(-hard, task.getUnplacedWeight(), 0);
    }

    /**
     * The expected spot loss of the task's gang on the node, counted once for the first of its tasks there (v1.1:
     * per gang, node and slot; the tasks of a pending gang share their start and hours).
     */
    private HardMediumSoftLongScore spotTerm(TaskAssignment task, Node node) {
        return HardMediumSoftLongScore.ofSoft(-preemptionWeight * CostTerms.preemption(task.getJob(),
                task.getGangShare(), node, task.getOccupiedSlots(), cost));
    }

    private static long milli(TaskAssignment task) {
        return task.getJob().gpu().usesGpu() ? task.getJob().gpu().shareMilli() : 0;
    }

    private long gpuLeft(Node node, int start, long addedMilli) {
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

    /** A necessary condition for the task to fit: enough CPU, memory and GPU capacity left in every slot. */
    private boolean mayFit(TaskAssignment task, Node node, int start) {
        return mayFit(task, node, start, 1);
    }

    /** The same for {@code copies} tasks of the task's job, all from the start slot. */
    private boolean mayFit(TaskAssignment task, Node node, int start, int copies) {
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

    /**
     * The best places for an unplaced task, best first: every node of its range and start of its window that
     * keeps the hard score, by the change of the score, then by best fit. Empty when it fits nowhere.
     */
    public List<Option> recommend(TaskAssignment task, int limit) {
        requireSingle(task);
        List<Option> options = new ArrayList<>();
        boolean[] classDone = new boolean[classMembers.size()];
        java.util.Map<io.gpuplacer.model.problem.Zone, List<Integer>> startsByZone = new java.util.HashMap<>();
        for (Node node : task.getNodeRange()) {
            int c = classOf[node.index()];
            if (c >= 0) {
                if (classDone[c]) {
                    continue; // an identical empty node stands for it
                }
                classDone[c] = true;
            }
            List<Integer> starts = startsByZone.computeIfAbsent(node.zone(), z -> cheapestStarts(task, List.of(z),
                    limit));
            for (int start : starts) {
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
        java.util.BitSet range = rangeOf(task);
        List<Option> out = new ArrayList<>(limit);
        for (Option o : options) {
            for (Node member : alike(o.node(), range)) {
                if (out.size() == limit) {
                    return out;
                }
                out.add(new Option(member, o.start(), o.delta(), o.gpus(), o.migStart(), o.gpuLeftMilli()));
            }
        }
        return out;
    }

    private static java.util.BitSet rangeOf(TaskAssignment task) {
        java.util.BitSet range = new java.util.BitSet();
        task.getNodeRange().forEach(n -> range.set(n.index()));
        return range;
    }

    /** The node and, when it is empty, the other empty nodes of its class in the range (in index order). */
    private List<Node> alike(Node node, java.util.BitSet range) {
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

    /**
     * The best places for a whole pending job, best first, each keeping the hard score at 0: a single task as in
     * {@link #recommend}; a gang all from one start, inside one node (NODE, ISLAND), rack, block, or anywhere
     * (ANY: per block, and across blocks at the block-spread price). Gangs are packed task by task, each to the
     * place that changes the score least. Empty when the job fits nowhere.
     *
     * @param tasks every task of one pending job, as built for the oracle's problem
     */
    public List<JobOption> recommendJob(List<TaskAssignment> tasks, int limit) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        TaskAssignment first = tasks.get(0);
        if (first.isRunning() || tasks.size() != first.getJob().tasks()) {
            throw new IllegalArgumentException(first.getJob().id() + ": the oracle takes every task of a pending job");
        }
        if (tasks.size() == 1) {
            return recommend(first, limit).stream().map(o -> new JobOption(List.of(new TaskPlacement(first,
                    o.node(), o.start(), o.gpus(), o.migStart())), o.delta(), o.gpuLeftMilli())).toList();
        }
        List<JobOption> options = new ArrayList<>();
        if (first.getJob().topology().requiresOneNode()) {
            boolean[] classDone = new boolean[classMembers.size()];
            java.util.Map<io.gpuplacer.model.problem.Zone, List<Integer>> startsByZone = new java.util.HashMap<>();
            for (Node node : first.getNodeRange()) {
                int c = classOf[node.index()];
                if (c >= 0) {
                    if (classDone[c]) {
                        continue;
                    }
                    classDone[c] = true;
                }
                for (int start : startsByZone.computeIfAbsent(node.zone(), z -> cheapestStarts(first, List.of(z),
                        limit))) {
                    JobOption option = onOneNode(tasks, node, start);
                    if (option != null && option.delta().hardScore() == 0) {
                        options.add(option);
                    }
                }
            }
            options.sort(BEST_JOB_FIRST);
            java.util.BitSet range = rangeOf(first);
            List<JobOption> out = new ArrayList<>(limit);
            for (JobOption o : options) {
                for (Node member : alike(o.placements().get(0).node(), range)) {
                    if (out.size() == limit) {
                        return out;
                    }
                    out.add(new JobOption(o.placements().stream().map(p -> new TaskPlacement(p.task(), member,
                            p.start(), p.gpus(), p.migStart())).toList(), o.delta(), o.gpuLeftMilli()));
                }
            }
            return out;
        }
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        for (List<Node> scope : scopes(first)) {
            java.util.Set<io.gpuplacer.model.problem.Zone> zones = new java.util.LinkedHashSet<>();
            scope.forEach(n -> zones.add(n.zone()));
            for (int start : cheapestStarts(first, zones, limit)) {
                JobOption option = packed(tasks, scope, start);
                if (option != null && option.delta().hardScore() == 0 && seen.add(signature(option))) {
                    options.add(option);
                }
            }
        }
        options.sort(BEST_JOB_FIRST);
        return options.subList(0, Math.min(limit, options.size()));
    }

    /** The groups of nodes a gang may fill: one node each, a rack, a block, or (ANY) each block and all nodes. */
    private static List<List<Node>> scopes(TaskAssignment task) {
        List<Node> range = task.getNodeRange();
        return switch (task.getJob().topology()) {
            case NODE, ISLAND -> range.stream().map(List::of).toList();
            case RACK -> List.copyOf(groupBy(range, Node::rackKey));
            case BLOCK -> List.copyOf(groupBy(range, Node::blockKey));
            case ANY -> {
                List<List<Node>> blocks = new ArrayList<>(groupBy(range, Node::blockKey));
                if (blocks.size() > 1) {
                    blocks.add(range);
                }
                yield blocks;
            }
        };
    }

    private static java.util.Collection<List<Node>> groupBy(List<Node> nodes,
                                                           java.util.function.Function<Node, String> key) {
        java.util.Map<String, List<Node>> groups = new java.util.LinkedHashMap<>();
        for (Node node : nodes) {
            groups.computeIfAbsent(key.apply(node), k -> new ArrayList<>()).add(node);
        }
        return groups.values();
    }

    private static List<String> signature(JobOption option) {
        List<String> out = new ArrayList<>();
        out.add(Integer.toString(option.placements().get(0).start()));
        for (TaskPlacement p : option.placements()) {
            out.add(p.node().id() + java.util.Arrays.toString(p.gpus()) + p.migStart());
        }
        out.subList(1, out.size()).sort(null); // the tasks of a gang are alike: the same nodes in any order are one
        return out;
    }

    /** Every task of the gang on one node from the start; null when it cannot hold them. */
    private JobOption onOneNode(List<TaskAssignment> tasks, Node node, int start) {
        if (!mayFit(tasks.get(0), node, start, tasks.size())) {
            return null;
        }
        Evaluation with = score(node, onNode.get(node.index()), tasks, start);
        HardMediumSoftLongScore delta = with.score().subtract(nodeScore[node.index()]).add(spotTerm(tasks.get(0), node));
        int base = onNode.get(node.index()).size();
        List<TaskPlacement> placements = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            TaskAssignment task = tasks.get(i);
            delta = delta.add(taskTerms(task, node, start));
            placements.add(new TaskPlacement(task, node, start, with.layout().gpus(base + i),
                    with.layout().migStart(base + i)));
        }
        return new JobOption(placements, delta, gpuLeft(node, start, tasks.size() * milli(tasks.get(0))));
    }

    /**
     * The gang packed task by task inside the scope from the start: each task to the node whose score changes
     * least with it (the fullest among equals). Null when a task finds no node that keeps the hard score. A
     * node's gain changes only when it takes a task, so only that node is evaluated again; of identical empty
     * nodes one is a candidate at a time.
     */
    private JobOption packed(List<TaskAssignment> tasks, List<Node> scope, int start) {
        int n = scope.size();
        HardMediumSoftLongScore[] gain = new HardMediumSoftLongScore[n];
        HardMediumSoftLongScore[] with = new HardMediumSoftLongScore[n];
        HardMediumSoftLongScore[] current = new HardMediumSoftLongScore[n];
        long[] left = new long[n];
        @SuppressWarnings("unchecked")
        List<TaskAssignment>[] placed = new List[n];
        java.util.Map<Integer, java.util.ArrayDeque<Integer>> spare = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            Node node = scope.get(i);
            current[i] = nodeScore[node.index()];
            placed[i] = new ArrayList<>(0);
            int c = classOf[node.index()];
            if (c >= 0) {
                java.util.ArrayDeque<Integer> waiting = spare.get(c);
                if (waiting != null) {
                    waiting.add(i);
                    continue;
                }
                spare.put(c, new java.util.ArrayDeque<>());
            }
            gainOf(i, node, List.of(tasks.get(0)), start, current, gain, with, left);
        }
        HardMediumSoftLongScore delta = HardMediumSoftLongScore.ZERO;
        java.util.Map<Node, List<TaskAssignment>> added = new java.util.LinkedHashMap<>();
        for (int k = 0; k < tasks.size(); k++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (gain[i] == null) {
                    continue;
                }
                int cmp = best < 0 ? 1 : gain[i].compareTo(gain[best]);
                if (cmp > 0 || cmp == 0 && left[i] < left[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            Node node = scope.get(best);
            int c = classOf[node.index()];
            if (c >= 0 && placed[best].isEmpty()) { // an identical untouched node becomes the class's candidate
                Integer next = spare.get(c).poll();
                if (next != null) {
                    gain[next] = gain[best];
                    with[next] = with[best];
                    left[next] = left[best];
                }
            }
            // The tasks of a job are alike: the gain found for one holds for this one.
            placed[best].add(tasks.get(k));
            added.put(node, placed[best]);
            delta = delta.add(gain[best]);
            current[best] = with[best];
            if (k + 1 < tasks.size()) {
                List<TaskAssignment> extras = new ArrayList<>(placed[best]);
                extras.add(tasks.get(k + 1));
                gainOf(best, node, extras, start, current, gain, with, left);
            }
        }
        List<TaskPlacement> placements = new ArrayList<>(tasks.size());
        java.util.Set<String> blocks = new java.util.HashSet<>();
        long leftTotal = 0;
        for (var entry : added.entrySet()) {
            Node node = entry.getKey();
            NodeLayout layout = score(node, onNode.get(node.index()), entry.getValue(), start).layout();
            int base = onNode.get(node.index()).size();
            for (int i = 0; i < entry.getValue().size(); i++) {
                placements.add(new TaskPlacement(entry.getValue().get(i), node, start, layout.gpus(base + i),
                        layout.migStart(base + i)));
            }
            blocks.add(node.blockKey());
            leftTotal += gpuLeft(node, start, entry.getValue().size() * milli(tasks.get(0)));
        }
        if (tasks.get(0).getJob().topology() == io.gpuplacer.model.problem.Topology.ANY) {
            delta = delta.subtract(HardMediumSoftLongScore.ofSoft(blockSpreadWeight
                    * CostTerms.blockSpread(blocks.size(), cost)));
        }
        return new JobOption(placements, delta, leftTotal);
    }

    /** The gain of adding the last of {@code extras} to the node (the others already there); null if it breaks. */
    private void gainOf(int i, Node node, List<TaskAssignment> extras, int start, HardMediumSoftLongScore[] current,
                        HardMediumSoftLongScore[] gain, HardMediumSoftLongScore[] with, long[] left) {
        TaskAssignment task = extras.get(extras.size() - 1);
        gain[i] = null;
        if (!mayFit(task, node, start, extras.size())) {
            return;
        }
        HardMediumSoftLongScore w = score(node, onNode.get(node.index()), extras, start).score();
        HardMediumSoftLongScore g = w.subtract(current[i]).add(taskTerms(task, node, start));
        if (extras.size() == 1) { // the gang's first task on this node brings the gang's spot loss here
            g = g.add(spotTerm(task, node));
        }
        if (g.hardScore() < 0) {
            return;
        }
        gain[i] = g;
        with[i] = w;
        left[i] = gpuLeft(node, start, extras.size() * milli(task));
    }

    /**
     * The start slots worth trying for a task in these zones: all of a short window; in a long one the earliest
     * and, per zone, the {@code max(4, limit)} starts whose hours cost least at the zone's power price and carbon
     * intensity under the current weights. On an empty node a start changes the score by exactly that cost (its
     * marginal kWh are the same every hour), so nothing better is skipped there; on a busy node it is a heuristic.
     */
    private List<Integer> cheapestStarts(TaskAssignment task, java.util.Collection<io.gpuplacer.model.problem.Zone>
            zones, int limit) {
        List<Integer> range = task.getStartRange();
        int keep = Math.max(4, limit);
        if (range.size() <= keep + 1) {
            return range;
        }
        java.util.TreeSet<Integer> chosen = new java.util.TreeSet<>();
        chosen.add(range.get(0));
        double priceWeight = energyWeight * cost.energyCostMultiplier() * 1000.0;
        double carbonWeightPerGram = carbonWeight * cost.carbonPriceUsdPerTonne();
        for (io.gpuplacer.model.problem.Zone zone : zones) {
            var signals = zone.signals();
            List<Integer> byCost = new ArrayList<>(range);
            byCost.sort(Comparator.comparingDouble(s -> priceWeight * signals.priceSum(s, task.accountedEndFor(s))
                    + carbonWeightPerGram * signals.carbonSum(s, task.accountedEndFor(s))));
            chosen.addAll(byCost.subList(0, keep));
        }
        return List.copyOf(chosen);
    }

    /**
     * Puts the task there and commits its devices: later placements go around them, as on a real node where
     * a started task keeps its GPUs. The state and the node's cached score follow. Refuses (and changes nothing)
     * a place that breaks a hard rule.
     */
    public void assign(TaskAssignment task, Node node, int start) {
        requireSingle(task);
        if (task.getNode() != null) {
            throw new IllegalArgumentException(task.getId() + " is already placed on " + task.getNode().id());
        }
        Option option = evaluate(task, node, start);
        if (option.delta().hardScore() != 0) {
            // An option that breaks a rule holds no devices: committing it would corrupt the node's state.
            throw new IllegalArgumentException(task.getId() + " does not fit on " + node.id() + " from slot " + start
                    + ": it would break a hard rule (" + option.delta() + "); ask recommend() for the places it fits");
        }
        task.setNode(node);
        task.setStartSlot(start);
        task.holdDevices(node, option.gpus(), option.migStart());
        List<TaskAssignment> tasks = onNode.get(node.index());
        tasks.add(task);
        if (classOf[node.index()] >= 0) {
            classMembers.get(classOf[node.index()]).remove(node);
            classOf[node.index()] = -1;
        }
        load(task, node, start);
        nodeScore[node.index()] = score(node, tasks, List.of(), 0).score();
    }

    private static void requireSingle(TaskAssignment task) {
        if (task.isRunning() || task.getJob().tasks() != 1) {
            throw new IllegalArgumentException(task.getId() + ": the oracle places tasks of single-task pending "
                    + "jobs; gangs and running tasks go through the solver");
        }
    }
}
