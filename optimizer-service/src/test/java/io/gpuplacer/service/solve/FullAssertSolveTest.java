package io.gpuplacer.service.solve;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FULL_ASSERT recomputes the score from scratch after every move and fails on any difference from the
 * incremental score: it proves the node-layout group-by, the gang moves and the construction phase keep the
 * score consistent.
 */
class FullAssertSolveTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void theExampleSolvesUnderFullAssert() throws InputException {
        Problem problem = new ProblemReader().read(EXAMPLES.resolve("cluster.json"), EXAMPLES.resolve("jobs.json"),
                EXAMPLES.resolve("signals.json"));
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(4), Duration.ofSeconds(4),
                EnvironmentMode.FULL_ASSERT, 7L);
        PlacementSolver.Result result = new PlacementSolver().solve(problem, options, p -> { });
        assertThat(result.solution().getScore().hardScore()).isZero();
        assertThat(result.moveEvaluationCount()).isPositive();
        assertThat(PlanValidator.validate(problem, result.plan())).isEmpty();
    }

    @Test
    void aGeneratedProblemWithGangsSolvesUnderFullAssert() throws InputException {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(10, 60, 11);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(4), Duration.ofSeconds(4),
                EnvironmentMode.FULL_ASSERT, 11L);
        PlacementSolver.Result result = new PlacementSolver().solve(problem, options, p -> { });
        assertThat(result.solution().getScore().hardScore()).isZero();
        assertThat(PlanValidator.validate(problem, result.plan())).isEmpty();
    }

    @Test
    void aGeneratedProblemWithQueuesSolvesUnderFullAssert() throws InputException {
        // The quota collector updates use per queue and slot incrementally: every move is checked against a
        // recalculation from scratch, preemptions and fair share included.
        ProblemGenerator.Documents docs = ProblemGenerator.withQueues(ProblemGenerator.generate(10, 60, 12), 12);
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        PlacementSolver.Options options = new PlacementSolver.Options(Duration.ofSeconds(4), Duration.ofSeconds(4),
                EnvironmentMode.FULL_ASSERT, 12L);
        PlacementSolver.Result result = new PlacementSolver().solve(problem, options, p -> { });
        assertThat(result.solution().getScore().hardScore()).isZero();
        assertThat(result.moveEvaluationCount()).isPositive();
        assertThat(PlanValidator.validate(problem, result.plan())).isEmpty();
    }
}
