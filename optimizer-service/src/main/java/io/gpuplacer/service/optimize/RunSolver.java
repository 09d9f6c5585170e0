package io.gpuplacer.service.optimize;

import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.solve.PlacementSolver;

import java.util.function.Consumer;

/**
 * What solves an optimization run: {@link PlacementSolver} in production ({@link TimefoldRunSolver}). A port so
 * that tests can put a solver in its place that fails the way a real one can (out of memory, say).
 */
public interface RunSolver {

    /** Solves, reporting each new best solution, handing {@code onStarted} a way to stop early. */
    PlacementSolver.Result solve(Problem problem, PlacementSolver.Options options,
                                 Consumer<PlacementSolver.Progress> progress, Consumer<Runnable> onStarted);
}
