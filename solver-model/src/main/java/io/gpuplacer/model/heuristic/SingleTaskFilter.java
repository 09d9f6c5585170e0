package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.selector.common.decorator.SelectionFilter;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;

/** Plain change and swap moves only for tasks that are not part of a pending gang (gangs move by GangMove). */
public final class SingleTaskFilter implements SelectionFilter<PlacementSolution, TaskAssignment> {

    @Override
    public boolean accept(ScoreDirector<PlacementSolution> scoreDirector, TaskAssignment task) {
        return movesAlone(task);
    }

    /** Running work and tasks of single-task jobs move alone; a pending gang's tasks move together. */
    static boolean movesAlone(TaskAssignment task) {
        return task.isRunning() || task.getJob().tasks() <= 1;
    }
}
