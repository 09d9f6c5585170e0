package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.api.solver.phase.PhaseCommand;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/** The construction phase: applies {@link GreedyPlacer}'s best-fit-decreasing decisions to the working solution. */
public final class GreedyConstructionPhase implements PhaseCommand<PlacementSolution> {

    @Override
    public void changeWorkingSolution(ScoreDirector<PlacementSolution> scoreDirector, BooleanSupplier isTerminated) {
        List<GreedyPlacer.Decision> decisions = GreedyPlacer.place(scoreDirector.getWorkingSolution());
        for (GreedyPlacer.Decision d : decisions) {
            TaskAssignment task = d.task();
            if (!Objects.equals(task.getStartSlot(), d.start())) {
                scoreDirector.beforeVariableChanged(task, TaskAssignment.START_SLOT);
                task.setStartSlot(d.start());
                scoreDirector.afterVariableChanged(task, TaskAssignment.START_SLOT);
            }
            if (!Objects.equals(task.getNode(), d.node())) {
                scoreDirector.beforeVariableChanged(task, TaskAssignment.NODE);
                task.setNode(d.node());
                scoreDirector.afterVariableChanged(task, TaskAssignment.NODE);
            }
        }
        scoreDirector.triggerVariableListeners();
    }
}
