package io.gpuplacer.model.domain;

import io.gpuplacer.model.QueueDocs;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gpuplacer.model.QueueDocs.job;
import static org.assertj.core.api.Assertions.assertThat;

/** The value ranges: every node a task may go to by the per-task rules, and no other. */
class SolutionFactoryTest {

    private static List<String> range(PlacementSolution solution, String job) {
        return solution.getTasks().stream().filter(t -> t.getJob().id().equals(job)).findFirst().orElseThrow()
                .getNodeRange().stream().map(Node::id).toList();
    }

    @Test
    void jobsAlikeButForTheirQueueGetTheirQueuesFlavors() {
        // Same demand, size and topology; solo has quota only for A100s, nlp only for H100s. A range shared
        // by shape alone gave the second job the first one's nodes, none of which its queue may use.
        Problem problem = QueueDocs.problem(job("s", "solo", 10, 2, 1), job("n", "nlp", 10, 2, 1));
        PlacementSolution solution = SolutionFactory.build(problem);
        assertThat(range(solution, "s")).containsExactly("a1");
        assertThat(range(solution, "n")).containsExactly("h1", "h2", "h3", "h4");
    }

    @Test
    void everyRangeIsExactlyTheNodesThatCanHostTheJob() {
        Problem problem = QueueDocs.problem(job("s", "solo", 10, 2, 1), job("n", "nlp", 10, 8, 1),
                job("c", null, 5, 0, 1), job("big", "vision", 10, 9, 1));
        PlacementSolution solution = SolutionFactory.build(problem);
        for (TaskAssignment task : solution.getTasks()) {
            if (task.getNode() != null || task.isPinned()) {
                continue; // running work keeps its own node in its range
            }
            List<Node> expected = problem.nodes().stream().filter(n -> SolutionFactory.canHost(n, task.getJob()))
                    .toList();
            assertThat(task.getNodeRange()).as(task.getJob().id()).containsExactlyElementsOf(expected);
        }
    }
}
