package io.gpuplacer.service.solve;

import io.gpuplacer.model.domain.NodeRanges;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cached value ranges, judged once per host shape, are for every job of generated queues exactly the nodes that
 * the per-task rules let host one of its tasks, judged node by node: on fleets of every GPU model, MIG and NVLink
 * islands, a spot pool, unhealthy and cordoned nodes, with and without queues' flavors.
 */
class NodeRangesDifferentialTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void everyJobsRangeIsTheNodesThatCanHostIt(long seed) throws Exception {
        ProblemGenerator.Documents docs = ProblemGenerator.generate(300, 600, seed);
        if (seed % 2 == 0) {
            docs = ProblemGenerator.withQueues(docs, seed);
        }
        Problem problem = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
        NodeRanges ranges = new NodeRanges(problem);
        int partial = 0;
        for (Job job : problem.jobs()) {
            List<Node> expected = problem.nodes().stream().filter(n -> SolutionFactory.canHost(n, job)).toList();
            assertThat(ranges.of(job)).as(job.id()).containsExactlyElementsOf(expected);
            partial += !expected.isEmpty() && expected.size() < problem.nodes().size() ? 1 : 0;
        }
        assertThat(partial).as("jobs that some nodes but not all can host").isGreaterThan(100);
    }
}
