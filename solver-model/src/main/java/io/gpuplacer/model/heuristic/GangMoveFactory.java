package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Random {@link GangMove}s over the pending multi-task gangs: unplace a gang, or put it whole on nodes that keep
 * its topology (one node for NODE/ISLAND, one rack or block for RACK/BLOCK) at a random start of its window.
 */
public final class GangMoveFactory implements MoveIteratorFactory<PlacementSolution, GangMove> {

    // Gangs and the selector size are found once per phase: the union selector asks for them every step.
    private List<List<TaskAssignment>> cachedGangs;
    private long cachedSize;

    @Override
    public void phaseStarted(ScoreDirector<PlacementSolution> scoreDirector) {
        cachedGangs = findGangs(scoreDirector);
        cachedSize = 0;
        for (List<TaskAssignment> gang : cachedGangs) {
            cachedSize += (long) gang.get(0).getNodeRange().size() * gang.get(0).getStartRange().size() + 1;
        }
    }

    @Override
    public void phaseEnded(ScoreDirector<PlacementSolution> scoreDirector) {
        cachedGangs = null;
    }

    private List<List<TaskAssignment>> gangs(ScoreDirector<PlacementSolution> scoreDirector) {
        if (cachedGangs == null) {
            phaseStarted(scoreDirector);
        }
        return cachedGangs;
    }

    private static List<List<TaskAssignment>> findGangs(ScoreDirector<PlacementSolution> scoreDirector) {
        Map<Job, List<TaskAssignment>> byJob = new LinkedHashMap<>();
        for (TaskAssignment task : scoreDirector.getWorkingSolution().getTasks()) {
            if (!task.isRunning() && !task.isPinned() && task.getJob().tasks() > 1) {
                byJob.computeIfAbsent(task.getJob(), j -> new ArrayList<>()).add(task);
            }
        }
        return new ArrayList<>(byJob.values());
    }

    @Override
    public long getSize(ScoreDirector<PlacementSolution> scoreDirector) {
        gangs(scoreDirector);
        return cachedSize;
    }

    @Override
    public Iterator<GangMove> createOriginalMoveIterator(ScoreDirector<PlacementSolution> scoreDirector) {
        throw new UnsupportedOperationException("gang moves are selected at random only");
    }

    @Override
    public Iterator<GangMove> createRandomMoveIterator(ScoreDirector<PlacementSolution> scoreDirector, Random random) {
        List<List<TaskAssignment>> gangs = gangs(scoreDirector);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !gangs.isEmpty();
            }

            @Override
            public GangMove next() {
                if (gangs.isEmpty()) {
                    throw new NoSuchElementException();
                }
                List<TaskAssignment> gang = gangs.get(random.nextInt(gangs.size()));
                return randomMove(gang, random);
            }
        };
    }

    // Nodes of a range grouped by rack or block, computed once per range (ranges are shared between jobs).
    private final Map<List<Node>, Map<String, List<Node>>> byRack = new java.util.IdentityHashMap<>();
    private final Map<List<Node>, Map<String, List<Node>>> byBlock = new java.util.IdentityHashMap<>();

    private static Map<String, List<Node>> group(List<Node> range, java.util.function.Function<Node, String> key) {
        Map<String, List<Node>> groups = new java.util.HashMap<>();
        range.forEach(n -> groups.computeIfAbsent(key.apply(n), k -> new ArrayList<>()).add(n));
        return groups;
    }

    GangMove randomMove(List<TaskAssignment> gang, Random random) {
        TaskAssignment first = gang.get(0);
        Node[] nodes = new Node[gang.size()];
        List<Integer> starts = first.getStartRange();
        int start = starts.get(random.nextInt(starts.size()));
        if (first.getNode() != null && random.nextInt(5) == 0) {
            return new GangMove(gang, nodes, start); // unplace: frees room for other work
        }
        List<Node> range = first.getNodeRange();
        Node anchor = range.get(random.nextInt(range.size()));
        Topology topology = first.getJob().topology();
        List<Node> pool = switch (topology) {
            case NODE, ISLAND -> Collections.nCopies(1, anchor);
            case RACK -> byRack.computeIfAbsent(range, r -> group(r, Node::rackKey)).get(anchor.rackKey());
            case BLOCK -> byBlock.computeIfAbsent(range, r -> group(r, Node::blockKey)).get(anchor.blockKey());
            case ANY -> range;
        };
        nodes[0] = anchor;
        for (int i = 1; i < nodes.length; i++) {
            // Half the time stay with the previous task's node: packs gangs densely.
            nodes[i] = random.nextBoolean() ? nodes[i - 1] : pool.get(random.nextInt(pool.size()));
        }
        return new GangMove(gang, nodes, start);
    }
}
