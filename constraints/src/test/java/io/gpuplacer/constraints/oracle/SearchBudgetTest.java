package io.gpuplacer.constraints.oracle;

import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.domain.NodeRanges;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle's time budget: unlimited, the whole search; spent, it stops and says so. */
class SearchBudgetTest {

    private static final String EMPTY_QUEUE = "{\"now\": \"2026-11-22T00:00:00Z\", \"horizonHours\": 24, \"jobs\": []}";

    private static PlacementOracle oracle(Problem state) {
        WeightCatalogue.Weights w = WeightCatalogue.defaults();
        return new PlacementOracle(SolutionFactory.build(state, w.costModel(), w.overrides()));
    }

    private static List<String> summary(List<PlacementOracle.JobOption> options) {
        return options.stream().map(o -> o.delta() + " " + o.placements().stream().map(p -> p.node().id() + "@"
                + p.start()).toList()).toList();
    }

    /** j1 is a 2-task BLOCK gang, j2 a single shared task, j3 a MIG slice. */
    @ParameterizedTest
    @ValueSource(strings = {"j1", "j2", "j3"})
    void anUnlimitedBudgetSearchesEverythingAndASpentOneStopsAndSaysSo(String jobId) {
        Problem state = TestDocs.read(TestDocs.CLUSTER, EMPTY_QUEUE, TestDocs.SIGNALS);
        Job job = TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, TestDocs.SIGNALS).jobs().stream()
                .filter(j -> j.id().equals(jobId)).findFirst().orElseThrow();
        List<TaskAssignment> tasks = SolutionFactory.pendingTasks(state, job, new NodeRanges(state));

        List<PlacementOracle.JobOption> whole = oracle(state).recommendJob(tasks, 5);
        assertThat(whole).as("the job fits somewhere").isNotEmpty();
        SearchBudget unlimited = SearchBudget.UNLIMITED;
        assertThat(summary(oracle(state).recommendJob(tasks, 5, unlimited))).isEqualTo(summary(whole));
        assertThat(unlimited.cutShort()).isFalse();
        SearchBudget roomy = SearchBudget.ofMillis(60_000);
        assertThat(summary(oracle(state).recommendJob(tasks, 5, roomy))).isEqualTo(summary(whole));
        assertThat(roomy.cutShort()).isFalse();

        SearchBudget spent = SearchBudget.ofMillis(-1); // its deadline already passed: no candidate is tried
        assertThat(oracle(state).recommendJob(tasks, 5, spent)).isEmpty();
        assertThat(spent.cutShort()).isTrue();
    }
}
