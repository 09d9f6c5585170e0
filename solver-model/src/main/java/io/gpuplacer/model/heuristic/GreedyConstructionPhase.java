package io.gpuplacer.model.heuristic;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.api.solver.phase.PhaseCommand;
import io.gpuplacer.model.domain.PlacementSolution;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The construction phase: applies {@link GreedyPlacer}'s best-fit-decreasing decisions to the working solution.
 * When prices are set, the priced greedy (cheapest hours and nodes first) can place less work than the unpriced
 * one (which packs earliest-first); both are run and the one that leaves less work unplaced wins, the priced one
 * on a tie, so prices never cost placed work at the start of the search.
 */
public final class GreedyConstructionPhase implements PhaseCommand<PlacementSolution> {

    @Override
    public void changeWorkingSolution(ScoreDirector<PlacementSolution> scoreDirector, BooleanSupplier isTerminated) {
        PlacementSolution solution = scoreDirector.getWorkingSolution();
        List<GreedyPlacer.Decision> decisions = GreedyPlacer.place(solution, GreedyPlacer.Strategy.BEST_FIT);
        if (GreedyPlacer.isPriced(solution.getCostModel())) {
            List<GreedyPlacer.Decision> unpriced = GreedyPlacer.place(solution,
                    GreedyPlacer.Strategy.BEST_FIT_UNPRICED);
            if (GreedyPlacer.unplacedWeight(solution, unpriced) < GreedyPlacer.unplacedWeight(solution, decisions)) {
                decisions = unpriced;
            }
        }
        for (GreedyPlacer.Decision d : decisions) {
            Changes.start(scoreDirector, d.task(), d.start());
            Changes.node(scoreDirector, d.task(), d.node());
        }
        scoreDirector.triggerVariableListeners();
    }
}
