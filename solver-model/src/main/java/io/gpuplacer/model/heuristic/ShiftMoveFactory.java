package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Random {@link ShiftMove}s: pick a placed task with a window of start slots and a new start in it, and shift by
 * the same number of slots every task of its gang and every task with a window that starts with it on its node.
 * Tasks that cannot shift that far stay, unless they are of the gang (then the move is not doable).
 */
public final class ShiftMoveFactory implements MoveIteratorFactory<PlacementSolution, ShiftMove> {

    private List<TaskAssignment> flexible;

    @Override
    public void phaseStarted(ScoreDirector<PlacementSolution> scoreDirector) {
        flexible = new ArrayList<>();
        for (TaskAssignment task : scoreDirector.getWorkingSolution().getTasks()) {
            if (!task.isPinned() && !task.isRunning() && task.getStartRange().size() > 1) {
                flexible.add(task);
            }
        }
    }

    @Override
    public void phaseEnded(ScoreDirector<PlacementSolution> scoreDirector) {
        flexible = null;
    }

    private List<TaskAssignment> flexible(ScoreDirector<PlacementSolution> scoreDirector) {
        if (flexible == null) {
            phaseStarted(scoreDirector);
        }
        return flexible;
    }

    @Override
    public long getSize(ScoreDirector<PlacementSolution> scoreDirector) {
        long size = 0;
        for (TaskAssignment task : flexible(scoreDirector)) {
            size += task.getStartRange().size();
        }
        return size;
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
                return randomMove(candidates, candidates.get(random.nextInt(candidates.size())), random);
            }
        };
    }

    static ShiftMove randomMove(List<TaskAssignment> flexible, TaskAssignment pick, Random random) {
        List<Integer> range = pick.getStartRange();
        int target = range.get(random.nextInt(range.size()));
        int delta = target - pick.getStartSlot();
        List<TaskAssignment> group = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        if (pick.getNode() == null || delta == 0) {
            return new ShiftMove(List.of(pick), new int[]{pick.getStartSlot()}); // not doable
        }
        int from = pick.getStartSlot();
        for (TaskAssignment task : flexible) {
            boolean sameGang = task.getJob().equals(pick.getJob());
            boolean together = task.getNode() != null && task.getNode().equals(pick.getNode())
                    && task.getStartSlot() == from;
            if (!sameGang && !together) {
                continue;
            }
            int start = task.getStartSlot() + delta;
            boolean fits = start >= task.getEarliestStart() && start <= task.getLatestStart();
            if (!fits) {
                if (sameGang) {
                    return new ShiftMove(List.of(pick), new int[]{pick.getStartSlot()}); // not doable
                }
                continue;
            }
            group.add(task);
            starts.add(start);
        }
        return new ShiftMove(group, starts.stream().mapToInt(Integer::intValue).toArray());
    }
}
