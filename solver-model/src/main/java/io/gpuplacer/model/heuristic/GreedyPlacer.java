package io.gpuplacer.model.heuristic;

import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.layout.NodeLayout;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.SignalSeries;
import io.gpuplacer.model.problem.Topology;
import io.gpuplacer.model.problem.Zone;
import io.gpuplacer.model.quota.QuotaBook;
import io.gpuplacer.model.quota.QuotaLedger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Best-fit-decreasing placement: gangs in order of priority (biggest first within one), each at the cheapest
 * (start slot, zone) that fits, each task onto the fullest eligible node there that still holds it (by
 * {@link NodeLayout}, so every accepted placement is one the hard constraints accept). It is both the solver's
 * construction phase and the benchmark's yardstick. It reads the solution and returns decisions; it changes
 * nothing.
 */
public final class GreedyPlacer {

    /** Where one task goes; {@code node == null} leaves it unplaced. */
    public record Decision(TaskAssignment task, Node node, int start) {
    }

    private final int horizon;
    private final NodeState[] states;
    private final BestFitOrder order;
    private final CostModel costModel;
    private final boolean pricing;
    private final Map<List<Node>, Map<Zone, List<Node>>> zonesOf = new IdentityHashMap<>();
    private final QuotaLedger quotas;

    /**
     * How to place. BEST_FIT is the solver's construction, priced by the solution's cost model; BEST_FIT_UNPRICED
     * the same ignoring prices (earliest start, fullest node); FIRST_FIT is the carbon-agnostic baseline of the
     * carbon benchmark: jobs in queue order, each at its earliest start, each task on the first node in cluster
     * order that holds it.
     */
    public enum Strategy { BEST_FIT, BEST_FIT_UNPRICED, FIRST_FIT }

    private final Strategy strategy;

    private GreedyPlacer(PlacementSolution solution, Strategy strategy) {
        this.strategy = strategy;
        this.horizon = solution.getProblem().horizonHours();
        this.costModel = solution.getCostModel();
        this.pricing = strategy == Strategy.BEST_FIT && isPriced(costModel);
        this.quotas = new QuotaLedger(solution.getTasks().isEmpty() ? QuotaBook.of(solution.getProblem())
                : solution.getTasks().get(0).getQuotaBook());
        this.states = new NodeState[solution.getNodes().size()];
        FreeCapacity free = new FreeCapacity(solution.getNodes(), horizon);
        for (Node node : solution.getNodes()) {
            states[node.index()] = new NodeState(node, horizon, costModel, free);
        }
        this.order = new BestFitOrder(solution.getNodes(), states, free, strategy == Strategy.FIRST_FIT, pricing);
    }

    /** Places every movable task of the solution; pinned and already placed tasks are kept as they are. */
    public static List<Decision> place(PlacementSolution solution) {
        return place(solution, Strategy.BEST_FIT);
    }

    /** Whether the cost model prices energy, node hours or carbon (else pricing cannot steer the greedy). */
    public static boolean isPriced(CostModel costModel) {
        return costModel.nodeCostMultiplier() != 0 || costModel.energyCostMultiplier() != 0
                || costModel.carbonPriceUsdPerTonne() != 0;
    }

    /**
     * Nodes for every task of the gang at slot 0 around the work already assigned, within the quotas, or null
     * when it does not fit now. The gang must be allowed to start now.
     */
    public static Node[] fitNow(PlacementSolution solution, List<TaskAssignment> gang) {
        GreedyPlacer placer = new GreedyPlacer(solution, Strategy.BEST_FIT);
        for (TaskAssignment task : solution.getTasks()) {
            if (task.getNode() != null && !gang.contains(task)) {
                placer.states[task.getNode().index()].commit(List.of(task), new int[]{task.getStartSlot()}, null);
                placer.quotas.commit(task, task.getNode(), task.getStartSlot());
            }
        }
        List<Node> nodes = placer.quotas.withRoom(gang.get(0), 0, gang.get(0).getNodeRange());
        Node[] chosen = nodes.isEmpty() ? null : placer.tryGang(gang, 0, nodes);
        return chosen != null && placer.quotas.admits(gang, chosen, 0) ? chosen : null;
    }

    /** Priority-weighted work the decisions leave unplaced (the medium score's measure; preempted work is not). */
    public static long unplacedWeight(PlacementSolution solution, List<Decision> decisions) {
        java.util.Set<TaskAssignment> decided = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        long unplaced = 0;
        for (Decision d : decisions) {
            decided.add(d.task());
            if (d.node() == null) {
                unplaced += d.task().getUnplacedWeight();
            }
        }
        for (TaskAssignment task : solution.getTasks()) {
            if (!decided.contains(task) && task.getNode() == null && !task.isPreempted()) {
                unplaced += task.getUnplacedWeight();
            }
        }
        return unplaced;
    }

    public static List<Decision> place(PlacementSolution solution, Strategy strategy) {
        return new GreedyPlacer(solution, strategy).run(solution.getTasks());
    }

    private List<Decision> run(List<TaskAssignment> tasks) {
        Map<Job, List<TaskAssignment>> open = new LinkedHashMap<>();
        for (TaskAssignment task : tasks) {
            if (task.getNode() != null) {
                NodeState state = states[task.getNode().index()];
                state.commit(List.of(task), new int[]{task.getStartSlot()}, null);
                quotas.commit(task, task.getNode(), task.getStartSlot());
            } else if (!task.isPinned() && !task.getNodeRange().isEmpty()) {
                open.computeIfAbsent(task.getJob(), j -> new ArrayList<>()).add(task);
            }
        }
        List<List<TaskAssignment>> gangs = new ArrayList<>(open.values());
        // Evacuees of dead nodes first (they are running work), then by priority, which is the medium score's
        // value per unit of GPU share, and within a priority the biggest gang first (best fit decreasing).
        // Work that can only start now goes before work with a window of start slots: the latter can still go
        // around it, later in its window.
        if (strategy != Strategy.FIRST_FIT) {
            gangs.sort(Comparator.<List<TaskAssignment>, Boolean>comparing(g -> !g.get(0).isRunning())
                    .thenComparing(g -> g.get(0).getStartRange().size() > 1)
                    .thenComparing(g -> -g.get(0).getJob().priority())
                    .thenComparing(g -> -g.get(0).getUnplacedWeight() * (long) g.size())
                    .thenComparing(g -> g.get(0).getJob().index()));
        }
        List<Decision> decisions = new ArrayList<>();
        for (List<TaskAssignment> gang : gangs) {
            Choice choice = choose(gang);
            decisions.addAll(choice.decisions(gang));
            if (choice.nodes() != null) {
                commitGang(gang, choice.nodes(), choice.start());
                for (int i = 0; i < gang.size(); i++) {
                    quotas.commit(gang.get(i), choice.nodes()[i], choice.start());
                }
            }
        }
        return decisions;
    }

    /** Where a gang goes: a node per task and the start, or no nodes when it fits nowhere. */
    private record Choice(Node[] nodes, int start) {
        List<Decision> decisions(List<TaskAssignment> gang) {
            List<Decision> out = new ArrayList<>(gang.size());
            for (int i = 0; i < gang.size(); i++) {
                out.add(new Decision(gang.get(i), nodes == null ? null : nodes[i],
                        nodes == null ? gang.get(i).getStartRange().get(0) : start));
            }
            return out;
        }
    }

    /** The first option that holds the gang within the quotas; nothing is committed. */
    private Choice choose(List<TaskAssignment> gang) {
        for (Option option : options(gang.get(0))) {
            List<Node> nodes = quotas.withRoom(gang.get(0), option.start(), option.nodes());
            Node[] chosen = nodes.isEmpty() ? null : tryGang(gang, option.start(), nodes);
            if (chosen != null && quotas.admits(gang, chosen, option.start())) {
                return new Choice(chosen, option.start());
            }
        }
        return new Choice(null, -1);
    }

    /**
     * A placer with a solution's work in place (assigned tasks kept, the rest placed as {@link #place} places
     * them), asked where one more gang would go, again and again, without placing it: the ledger asks this for
     * every job that arrives, and at 12,500 nodes building the state each time took 25 ms. Not for concurrent use.
     */
    public static final class Prepared {
        private final GreedyPlacer placer;

        private Prepared(GreedyPlacer placer) {
            this.placer = placer;
        }

        /** Where the gang (every task of one more pending job) would go now; nothing changes. */
        public List<Decision> place(List<TaskAssignment> gang) {
            if (gang.isEmpty() || gang.get(0).isPinned() || gang.get(0).getNodeRange().isEmpty()) {
                return new Choice(null, -1).decisions(gang);
            }
            return placer.choose(gang).decisions(gang);
        }
    }

    /** The solution's work placed by the strategy, ready for {@link Prepared#place}. */
    public static Prepared prepare(PlacementSolution solution, Strategy strategy) {
        GreedyPlacer placer = new GreedyPlacer(solution, strategy);
        placer.run(solution.getTasks());
        return new Prepared(placer);
    }

    /** A start slot and the nodes of one zone to try it on. */
    private record Option(int start, List<Node> nodes, double cost) {
    }

    /**
     * Where and when to try a task. Work with one start slot tries it on all its nodes. Work with a window tries
     * every (start slot, zone) cheapest first, priced by what one task would cost there: busy watts plus its share
     * of a node's base draw and hourly price, at the zone's hourly power price and carbon intensity. With nothing
     * priced, earliest start first.
     */
    private List<Option> options(TaskAssignment task) {
        List<Integer> starts = task.getStartRange();
        if (strategy == Strategy.FIRST_FIT) {
            return List.of(new Option(starts.get(0), task.getNodeRange(), 0)); // everything starts now
        }
        if (starts.size() == 1 || !pricing) {
            // One start, or nothing priced: every start in order, over all nodes (the node order does the rest).
            List<Option> options = new ArrayList<>(starts.size());
            starts.forEach(s -> options.add(new Option(s, task.getNodeRange(), 0)));
            return options;
        }
        Map<Zone, List<Node>> byZone = zonesOf.computeIfAbsent(task.getNodeRange(), range -> {
            Map<Zone, List<Node>> groups = new LinkedHashMap<>();
            for (Node node : range) {
                groups.computeIfAbsent(node.zone(), z -> new ArrayList<>()).add(node);
            }
            groups.values().forEach(order::keep);
            return groups;
        });
        Job job = task.getJob();
        List<Option> options = new ArrayList<>();
        for (Map.Entry<Zone, List<Node>> zone : byZone.entrySet()) {
            Node typical = zone.getValue().get(0);
            double share = job.gpu().share();
            double nodeShare = typical.gpuCount() == 0 ? 1.0 : Math.min(1.0, share / typical.gpuCount());
            double kW = (typical.gpuBusyWatts() * job.utilization() * share + typical.baseWatts() * nodeShare)
                    * zone.getKey().pue() / 1000.0;
            double nodeHour = costModel.nodeHoursMicroUsd(typical, nodeShare);
            SignalSeries signals = zone.getKey().signals();
            for (int s : starts) {
                int e = task.accountedEndFor(s);
                double cost = kW * costModel.kWhMicroUsd(signals.priceSum(s, e), signals.carbonSum(s, e))
                        + nodeHour * (e - s);
                options.add(new Option(s, zone.getValue(), cost));
            }
        }
        options.sort(Comparator.comparingDouble(Option::cost).thenComparingInt(Option::start));
        return options;
    }

    /** Nodes for every task of the gang at start slot s, or null when the gang does not fit there. */
    private Node[] tryGang(List<TaskAssignment> gang, int s, List<Node> range) {
        Job job = gang.get(0).getJob();
        Topology topology = job.topology();
        if (gang.size() == 1 || topology == Topology.ANY) {
            return placeEach(gang, s, range);
        }
        if (topology.requiresOneNode()) {
            int[] starts = new int[gang.size()];
            Arrays.fill(starts, s);
            BestFitOrder.Candidates tries = order.of(gang.get(0), s, range, gang.size());
            for (Node node = tries.next(); node != null; node = tries.next()) {
                if (states[node.index()].accepts(gang, starts)) {
                    Node[] out = new Node[gang.size()];
                    Arrays.fill(out, node);
                    return out;
                }
            }
            return null;
        }
        Map<String, List<Node>> groups = new LinkedHashMap<>();
        BestFitOrder.Candidates tries = order.of(gang.get(0), s, range, 1);
        for (Node node = tries.next(); node != null; node = tries.next()) {
            groups.computeIfAbsent(topology == Topology.RACK ? node.rackKey() : node.blockKey(),
                    k -> new ArrayList<>()).add(node);
        }
        for (List<Node> group : groups.values()) {
            Node[] out = placeEach(gang, s, group);
            if (out != null) {
                return out;
            }
        }
        return null;
    }

    /** Each task onto the best-fitting node of the candidates, tentatively, undone unless all fit. */
    private Node[] placeEach(List<TaskAssignment> gang, int s, List<Node> candidates) {
        Node[] out = new Node[gang.size()];
        Map<NodeState, long[]> touched = new IdentityHashMap<>();
        boolean ok = true;
        for (int i = 0; i < gang.size() && ok; i++) {
            TaskAssignment task = gang.get(i);
            ok = false;
            BestFitOrder.Candidates tries = order.of(task, s, candidates, 1);
            for (Node node = tries.next(); node != null; node = tries.next()) {
                NodeState state = states[node.index()];
                List<TaskAssignment> one = List.of(task);
                int[] starts = {s};
                NodeLayout layout = state.tryLayout(one, starts);
                if (layout != null) {
                    touched.putIfAbsent(state, new long[]{state.size(), state.violation()});
                    state.commit(one, starts, layout);
                    out[i] = node;
                    ok = true;
                    break;
                }
            }
        }
        // Undo: the caller commits the whole gang once all of it fits.
        touched.forEach((state, mark) -> state.rollback((int) mark[0], mark[1]));
        return ok ? out : null;
    }

    private void commitGang(List<TaskAssignment> gang, Node[] nodes, int start) {
        Map<Node, List<TaskAssignment>> byNode = new IdentityHashMap<>();
        for (int i = 0; i < gang.size(); i++) {
            byNode.computeIfAbsent(nodes[i], n -> new ArrayList<>()).add(gang.get(i));
        }
        byNode.forEach((node, tasks) -> {
            int[] starts = new int[tasks.size()];
            Arrays.fill(starts, start);
            states[node.index()].commit(tasks, starts, null);
        });
    }
}
