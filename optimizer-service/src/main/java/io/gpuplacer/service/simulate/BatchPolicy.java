package io.gpuplacer.service.simulate;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbNode;
import io.gpuplacer.connectors.traces.OpenbTrace.OpenbPod;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.WorkloadProfile;
import io.gpuplacer.service.solve.PlacementSolver;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The oracle online, plus a consolidation pass each time another {@code everyPercent}% of the capacity has
 * arrived and some pod has failed, and once more when the arrivals end. A pass: the solver re-optimises everything
 * placed (moves at a token 0.001 USD, so they happen only when they pay) together with the pods that failed so
 * far, under fragmentation alone, measured against the same demand classes as the oracle; then {@link ShareRepair}
 * places failed pods where moving or exchanging one running share makes room, which the score-driven search
 * misses (the first step alone gains nothing); the replay goes on from there. A pass that places nothing is
 * dropped, moves and all. A pass runs before the pod whose demand reaches the step, so the point recorded there
 * counts it. Running pods are never dropped (a hard rule in the solver, and the repair only moves them), so the
 * allocation never falls. What such passes recover is the gap between online placement and placement with
 * hindsight, up to the packing bound ({@link PackingBound}).
 */
final class BatchPolicy implements SimPolicy {

    private final List<OpenbNode> nodes;
    private final List<OpenbPod> arrivals;
    private final WorkloadProfile profile;
    private final Duration perPass;
    private final long step;
    private final PrintStream log;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    private final Map<Integer, TraceProblem.Placed> placed = new LinkedHashMap<>();
    private final List<Integer> failed = new ArrayList<>();
    private OraclePolicy online;
    private long arrived;
    private long nextPass;

    BatchPolicy(List<OpenbNode> nodes, List<OpenbPod> arrivals, WorkloadProfile profile, Duration perPass,
                int everyPercent, long capacityMilliGpu, PrintStream log) throws InputException {
        this.nodes = nodes;
        this.arrivals = arrivals;
        this.profile = profile;
        this.perPass = perPass;
        this.step = capacityMilliGpu * everyPercent / 100;
        this.nextPass = step;
        this.log = log;
        for (int i = 0; i < arrivals.size(); i++) {
            indexOf.put(arrivals.get(i).name(), i);
        }
        for (int i = 0; i < nodes.size(); i++) {
            nodeIndex.put(nodes.get(i).name(), i);
        }
        this.online = new OraclePolicy(nodes, arrivals, profile);
    }

    @Override
    public Choice choose(OpenbPod pod, int index, SimCluster cluster) {
        // The pass runs before the pod whose demand reaches the next step, so the point recorded there counts it.
        if (arrived + pod.requestedMilliGpu() >= nextPass && !failed.isEmpty()) {
            reoptimise(index, cluster);
        }
        while (arrived + pod.requestedMilliGpu() >= nextPass) {
            nextPass += step;
        }
        Choice choice = online.choose(pod, index, cluster);
        if (choice != null) {
            placed.put(index, new TraceProblem.Placed(choice.node(), choice.gpus()));
        } else {
            failed.add(index);
        }
        arrived += pod.requestedMilliGpu();
        return choice;
    }

    /** One more pass when the arrivals end (just short of 130%), so the last points count what it recovers. */
    @Override
    public void finish(int arrivals, SimCluster cluster) {
        if (!failed.isEmpty()) {
            pass(arrivals, cluster);
        }
    }

    private void reoptimise(int index, SimCluster cluster) {
        if (!pass(index, cluster)) {
            return;
        }
        try {
            online = new OraclePolicy(nodes, arrivals, profile, placed, index);
        } catch (InputException e) {
            throw new IllegalStateException("the replay's state is not a valid problem: " + e.getMessage(), e);
        }
    }

    /**
     * One pass; false when it placed no failed pod, and then its moves are dropped too: moving thousands of running
     * pods for nothing is churn (each move a migration), and it changes what the online oracle does next for no gain.
     */
    private boolean pass(int index, SimCluster cluster) {
        Map<Integer, TraceProblem.Placed> before = new LinkedHashMap<>(placed);
        List<Integer> failedBefore = List.copyOf(failed);
        try {
            WeightCatalogue.Weights weights = WeightCatalogue.defaults().with(Map.of(
                    WeightCatalogue.ENERGY_COST_MULTIPLIER, 0.0, WeightCatalogue.NODE_COST_MULTIPLIER, 0.0,
                    WeightCatalogue.CARBON_PRICE, 0.0, WeightCatalogue.PREEMPTION_LOSS, 0.0,
                    WeightCatalogue.MOVE_COST, 0.001, WeightCatalogue.FRAGMENTATION, 1.0));
            PlacementSolver.Options options = new PlacementSolver.Options(perPass, perPass, EnvironmentMode.NO_ASSERT,
                    1L, weights).withoutExplanations().withWorkload(profile);
            Plan plan = new PlacementSolver().solve(TraceProblem.of(nodes, arrivals, placed, failed), options,
                    p -> { }).plan();
            for (Plan.Move move : plan.moves()) {
                placed.put(indexOf.get(move.job()), new TraceProblem.Placed(nodeIndex(move.toNode()),
                        move.gpus().stream().mapToInt(Integer::intValue).toArray()));
            }
            int recovered = 0;
            for (Plan.Placement p : plan.placements()) {
                int i = indexOf.get(p.job());
                placed.put(i, new TraceProblem.Placed(nodeIndex(p.node()),
                        p.gpus().stream().mapToInt(Integer::intValue).toArray()));
                failed.remove(Integer.valueOf(i));
                recovered++;
            }
            long t0 = System.nanoTime();
            int repaired = ShareRepair.run(nodes, arrivals, placed, failed);
            boolean kept = recovered + repaired > 0;
            if (!kept) {
                placed.clear();
                placed.putAll(before);
                failed.clear();
                failed.addAll(failedBefore);
            }
            cluster.reset(placed, arrivals);
            log.printf(Locale.ROOT, "    batch pass at pod %d: %d moves, %d failed pods placed, %d more by moving "
                    + "shares (%.1f s), %d still failed%s%n", index, plan.moves().size(), recovered, repaired,
                    (System.nanoTime() - t0) / 1e9, failed.size(), kept ? "" : "; nothing placed, moves dropped");
            return kept;
        } catch (InputException e) {
            throw new IllegalStateException("the replay's state is not a valid problem: " + e.getMessage(), e);
        }
    }

    private int nodeIndex(String id) {
        Integer index = nodeIndex.get(id);
        if (index == null) {
            throw new IllegalStateException("plan names unknown node " + id);
        }
        return index;
    }
}
