package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Node;

import java.util.Objects;

/** Changes a task's planning variables through the score director, only when the value really changes. */
final class Changes {

    private Changes() {
    }

    static void start(ScoreDirector<PlacementSolution> scoreDirector, TaskAssignment task, int start) {
        if (!Objects.equals(task.getStartSlot(), start)) {
            scoreDirector.beforeVariableChanged(task, TaskAssignment.START_SLOT);
            task.setStartSlot(start);
            scoreDirector.afterVariableChanged(task, TaskAssignment.START_SLOT);
        }
    }

    static void node(ScoreDirector<PlacementSolution> scoreDirector, TaskAssignment task, Node node) {
        if (!Objects.equals(task.getNode(), node)) {
            scoreDirector.beforeVariableChanged(task, TaskAssignment.NODE);
            task.setNode(node);
            scoreDirector.afterVariableChanged(task, TaskAssignment.NODE);
        }
    }
}
