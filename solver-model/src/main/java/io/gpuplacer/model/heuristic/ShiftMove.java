package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Shifts several tasks in time at once, each to its own new start slot, nodes unchanged. Moving one task of a
 * node alone to cleaner hours keeps the node on for both periods; moving all that start together does not.
 */
public final class ShiftMove extends AbstractMove<PlacementSolution> {

    private final List<TaskAssignment> tasks;
    private final int[] starts;

    public ShiftMove(List<TaskAssignment> tasks, int[] starts) {
        this.tasks = tasks;
        this.starts = starts;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<PlacementSolution> scoreDirector) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).getStartSlot() != starts[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<PlacementSolution> scoreDirector) {
        for (int i = 0; i < tasks.size(); i++) {
            Changes.start(scoreDirector, tasks.get(i), starts[i]);
        }
    }

    @Override
    public ShiftMove rebase(ScoreDirector<PlacementSolution> destination) {
        return new ShiftMove(rebaseList(tasks, destination), starts.clone());
    }

    @Override
    public Collection<?> getPlanningEntities() {
        return tasks;
    }

    @Override
    public Collection<?> getPlanningValues() {
        return Arrays.stream(starts).boxed().toList();
    }

    @Override
    public String toString() {
        return "shift " + tasks + " -> " + Arrays.toString(starts);
    }
}
