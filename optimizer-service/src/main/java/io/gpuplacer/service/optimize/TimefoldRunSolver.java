package io.gpuplacer.service.optimize;

import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.solve.PlacementSolver;
import jakarta.inject.Singleton;

import java.util.function.Consumer;

/** Runs are solved by Timefold through {@link PlacementSolver}. */
@Singleton
public class TimefoldRunSolver implements RunSolver {

    @Override
    public PlacementSolver.Result solve(Problem problem, PlacementSolver.Options options,
                                        Consumer<PlacementSolver.Progress> progress, Consumer<Runnable> onStarted) {
        return new PlacementSolver().solve(problem, options, progress, onStarted);
    }
}
