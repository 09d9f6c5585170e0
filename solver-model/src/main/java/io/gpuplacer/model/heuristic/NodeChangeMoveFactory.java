package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Node;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Random {@link NodeChangeMove}s: a task that moves alone (running work, single-task jobs; not pinned) to a random
 * node of its value range, or out (unplaced), as Timefold's change move selector picks them. Timefold's selector
 * first gathers the union of every entity's value range at the start of the phase, one set insert per task and
 * node of its range: 3.2 s at 12,500 nodes x 30,000 tasks before the first move. Here a move is one random pick
 * from the task's own range.
 */
public final class NodeChangeMoveFactory implements MoveIteratorFactory<PlacementSolution, NodeChangeMove> {

    private List<TaskAssignment> movable;
    private long size;

    @Override
    public void phaseStarted(ScoreDirector<PlacementSolution> scoreDirector) {
        movable = new ArrayList<>();
        size = 0;
        for (TaskAssignment task : scoreDirector.getWorkingSolution().getTasks()) {
            if (!task.isPinned() && SingleTaskFilter.movesAlone(task)) {
                movable.add(task);
                size += task.getNodeRange().size() + 1L; // its nodes and "unplaced": value ranges never change
            }
        }
    }

    @Override
    public void phaseEnded(ScoreDirector<PlacementSolution> scoreDirector) {
        movable = null;
    }

    private List<TaskAssignment> movable(ScoreDirector<PlacementSolution> scoreDirector) {
        if (movable == null) {
            phaseStarted(scoreDirector);
        }
        return movable;
    }

    @Override
    public long getSize(ScoreDirector<PlacementSolution> scoreDirector) {
        movable(scoreDirector);
        return size;
    }

    @Override
    public Iterator<NodeChangeMove> createOriginalMoveIterator(ScoreDirector<PlacementSolution> scoreDirector) {
        throw new UnsupportedOperationException("node changes are selected at random only");
    }

    @Override
    public Iterator<NodeChangeMove> createRandomMoveIterator(ScoreDirector<PlacementSolution> scoreDirector,
                                                                     Random random) {
        List<TaskAssignment> candidates = movable(scoreDirector);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !candidates.isEmpty();
            }

            @Override
            public NodeChangeMove next() {
                if (candidates.isEmpty()) {
                    throw new NoSuchElementException();
                }
                TaskAssignment task = candidates.get(random.nextInt(candidates.size()));
                List<Node> range = task.getNodeRange();
                int pick = random.nextInt(range.size() + 1);
                return new NodeChangeMove(task, pick == range.size() ? null : range.get(pick));
            }
        };
    }
}
