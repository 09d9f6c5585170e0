package io.gpuplacer.service.api;

import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.optimize.RunSolver;
import io.gpuplacer.service.optimize.TimefoldRunSolver;
import io.gpuplacer.service.solve.PlacementSolver;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.function.Consumer;

/**
 * A solver that runs out of memory, the way a real one can, in services started with
 * {@code test.solver = out-of-memory}: after reporting one best solution, it throws an {@link OutOfMemoryError}
 * with a message longer than any column.
 */
@Singleton
@Replaces(TimefoldRunSolver.class)
@Requires(property = "test.solver", value = "out-of-memory")
public class FailingRunSolver implements RunSolver {

    @Override
    public PlacementSolver.Result solve(Problem problem, PlacementSolver.Options options,
                                        Consumer<PlacementSolver.Progress> progress, Consumer<Runnable> onStarted) {
        onStarted.accept(() -> { });
        throw new OutOfMemoryError("Java heap space " + "x".repeat(5000));
    }
}
