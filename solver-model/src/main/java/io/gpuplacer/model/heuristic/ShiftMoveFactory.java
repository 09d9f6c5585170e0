package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Random {@link ShiftMove}s: pick a placed task with a window of start slots and a new start in it, and shift by
 * the same number of slots every task of its gang and every task with a window that starts with it on its node.
 * Tasks that cannot shift that far stay, unless they are of the gang (then the move is not doable). Gangs are
 * indexed once per phase, tasks by node every few hundred moves, so making a move does not scan every task.
 */
public final class ShiftMoveFactory implements MoveIteratorFactory<PlacementSolution, ShiftMove> {

    // Rebuild the index of tasks by node after this many moves: between rebuilds a task that came onto a node is
    // missed by the node's group (the move is smaller, still legal: every member is checked as it is now). Kept
    // fresh: at 256 moves the search lost companions often enough to place less work on one scenario of
    // CarbonPriceMonotonicityTest; 32 costs one scan of the flexible tasks per 32 moves.
    private static final int REINDEX_EVERY = 32;

    private List<TaskAssignment> flexible;
    private Map<Job, List<TaskAssignment>> byGang;
    private Map<Node, List<TaskAssignment>> byNode;
    private int sinceIndex;
    private long size;

    @Override
    public void phaseStarted(ScoreDirector<PlacementSolution> scoreDirector) {
        flexible = new ArrayList<>();
        byGang = new HashMap<>();
        size = 0;
        for (TaskAssignment task : scoreDirector.getWorkingSolution().getTasks()) {
            if (!task.isPinned() && !task.isRunning() && task.getStartRange().size() > 1) {
                flexible.add(task);
                byGang.computeIfAbsent(task.getJob(), k -> new ArrayList<>()).add(task);
                size += task.getStartRange().size(); // value ranges never change: the size is fixed
            }
        }
        byNode = null;
    }

    @Override
    public void phaseEnded(ScoreDirector<PlacementSolution> scoreDirector) {
        flexible = null;
        byGang = null;
        byNode = null;
    }

    private List<TaskAssignment> flexible(ScoreDirector<PlacementSolution> scoreDirector) {
        if (flexible == null) {
            phaseStarted(scoreDirector);
        }
        return flexible;
    }

    @Override
    public long getSize(ScoreDirector<PlacementSolution> scoreDirector) {
        flexible(scoreDirector);
        return size;
    }

    /** The flexible tasks by the node they were on when last indexed (checked again by the caller). */
    private Map<Node, List<TaskAssignment>> byNode() {
        if (byNode == null || ++sinceIndex >= REINDEX_EVERY) {
            byNode = new HashMap<>();
            for (TaskAssignment task : flexible) {
                if (task.getNode() != null) {
                    byNode.computeIfAbsent(task.getNode(), k -> new ArrayList<>()).add(task);
                }
            }
            sinceIndex = 0;
        }
        return byNode;
    }

    @Override
    public Iterator<ShiftMove> createOriginalMoveIterator(ScoreDirector<PlacementSolution> scoreDirector) {
        throw new UnsupportedOperationException("shift moves are selected at random only");
    }

    @Override
    public Iterator<ShiftMove> createRandomMoveIterator(ScoreDirector<PlacementSolution> scoreDirector,
                                                        Random random) {
        List<TaskAssignment> candidates = flexible(scoreDirector);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !candidates.isEmpty();
            }

            @Override
            public ShiftMove next() {
                if (candidates.isEmpty()) {
                    throw new NoSuchElementException();
                }
                TaskAssignment pick = candidates.get(random.nextInt(candidates.size()));
                List<TaskAssignment> gang = byGang.get(pick.getJob());
                List<TaskAssignment> here = pick.getNode() == null ? List.of()
                        : byNode().getOrDefault(pick.getNode(), List.of());
                return randomMove(gang, here, pick, random);
            }
        };
    }

    /**
     * The shift of {@code pick} to a random start of its window, with its gang (all of which must fit) and the
     * tasks of {@code here} (those last seen on its node) that are still on it and start with it.
     */
    static ShiftMove randomMove(List<TaskAssignment> gang, List<TaskAssignment> here, TaskAssignment pick,
                                Random random) {
        List<Integer> range = pick.getStartRange();
        int target = range.get(random.nextInt(range.size()));
        int delta = target - pick.getStartSlot();
        if (pick.getNode() == null || delta == 0) {
            return new ShiftMove(List.of(pick), new int[]{pick.getStartSlot()}); // not doable
        }
        int from = pick.getStartSlot();
        List<TaskAssignment> group = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (TaskAssignment task : gang) {
            int start = task.getStartSlot() + delta;
            if (start < task.getEarliestStart() || start > task.getLatestStart()) {
                return new ShiftMove(List.of(pick), new int[]{pick.getStartSlot()}); // not doable
            }
            group.add(task);
            starts.add(start);
        }
        for (TaskAssignment task : here) {
            if (task.getJob().equals(pick.getJob()) || !pick.getNode().equals(task.getNode())
                    || task.getStartSlot() != from) {
                continue; // of the gang (done above), or no longer on the node, or not starting with it
            }
            int start = task.getStartSlot() + delta;
            if (start >= task.getEarliestStart() && start <= task.getLatestStart()) {
                group.add(task);
                starts.add(start);
            }
        }
        return new ShiftMove(group, starts.stream().mapToInt(Integer::intValue).toArray());
    }
}
