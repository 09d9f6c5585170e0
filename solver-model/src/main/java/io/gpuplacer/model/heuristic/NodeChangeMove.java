package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Node;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** One task to another node (null: unplaced), its start unchanged. */
public final class NodeChangeMove extends AbstractMove<PlacementSolution> {

    private final TaskAssignment task;
    private final Node to;

    public NodeChangeMove(TaskAssignment task, Node to) {
        this.task = task;
        this.to = to;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<PlacementSolution> scoreDirector) {
        return !Objects.equals(task.getNode(), to);
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<PlacementSolution> scoreDirector) {
        Changes.node(scoreDirector, task, to);
    }

    @Override
    public NodeChangeMove rebase(ScoreDirector<PlacementSolution> destination) {
        return new NodeChangeMove(destination.lookUpWorkingObject(task),
                to == null ? null : destination.lookUpWorkingObject(to));
    }

    @Override
    public Collection<?> getPlanningEntities() {
        return List.of(task);
    }

    @Override
    public Collection<?> getPlanningValues() {
        return Collections.singletonList(to);
    }

    @Override
    public String toString() {
        return task + " -> " + (to == null ? "unplaced" : to.id());
    }
}
