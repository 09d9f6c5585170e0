package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.QueueDocs;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.problem.PreemptionScope;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.gpuplacer.model.QueueDocs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster document's queues and a job's queue (section 9, v1.2). */
class QueueReaderTest {

    @Test
    void aJobsQueueIsItsQueueElseItsTeamsElseNone() {
        Problem p = QueueDocs.problem(job("named", "lab", 1, 1, 1), job("team", null, 1, 1, 1)
                .replace("t-team", "vision"), job("none", null, 1, 1, 1));
        assertThat(p.jobs()).extracting(j -> j.queue() == null ? null : j.queue().id())
                .containsExactly("lab", "vision", null);
        assertThat(p.running()).extracting(r -> r.job().queue().id())
                .containsExactly("nlp", "vision", "lab", "lab", "solo");
        Queue nlp = p.queue("nlp");
        assertThat(nlp.cohortKey()).isEqualTo("research");
        assertThat(nlp.fairShareWeight()).isEqualTo(2.0);
        assertThat(nlp.quota("H100-80GB").maxUse()).isEqualTo(12.0);
        assertThat(nlp.preemption().reclaimWithinCohort()).isEqualTo(PreemptionScope.Any);
        Queue vision = p.queue("vision");
        assertThat(vision.quota("H100-80GB").lendable()).isEqualTo(2.0);
        assertThat(vision.quota("H100-80GB").guaranteed()).isEqualTo(14.0);
        assertThat(vision.quota("H100-80GB").maxUse()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(vision.preemption().withinQueue()).isEqualTo(PreemptionScope.Never); // Kueue's default
        assertThat(p.queue("solo").cohortKey()).isEqualTo("queue:solo");
        assertThat(p.running().get(0).startedAt()).hasToString("2026-11-21T20:00:00Z");
        assertThat(p.warnings()).noneMatch(w -> w.startsWith("queue "));
    }

    @Test
    void aDocumentWithoutQueuesMeansWhatItMeantBefore() {
        Problem p = TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, TestDocs.SIGNALS);
        assertThat(p.queues()).isEmpty();
        assertThat(p.jobs()).allSatisfy(j -> assertThat(j.queue()).isNull());
    }

    @Test
    void aFlavorNoNodeHasIsAWarningNotAnError() {
        ObjectNode cluster = TestDocs.parse(QueueDocs.CLUSTER);
        TestDocs.set(cluster, "queues[3].quotas[0].flavor", TestDocs.JSON.valueToTree("B200"));
        Problem p = TestDocs.read(cluster, TestDocs.parse("{\"now\": \"2026-11-22T00:00:00Z\", \"jobs\": []}"), null);
        assertThat(p.warnings()).contains("queue solo: flavor B200 is the gpuModel of no node");
    }

    static Stream<Arguments> badQueues() {
        return Stream.of(
                Arguments.of("queues[1].id", "nlp", "cluster: queues[1].id: \"nlp\" is used by two queues"),
                Arguments.of("queues[0].fairShareWeight", 0, "cluster: queues[0].fairShareWeight: 0 must be > 0"),
                Arguments.of("queues[0].quotas[0].nominalGpus", -1,
                        "cluster: queues[0].quotas[0].nominalGpus: -1 must be >= 0"),
                Arguments.of("queues[0].quotas[0].nominalGpus", null,
                        "cluster: queues[0].quotas[0].nominalGpus: missing (required)"),
                Arguments.of("queues[0].quotas[0].borrowingLimitGpus", "lots",
                        "cluster: queues[0].quotas[0].borrowingLimitGpus: \"lots\" must be a number"),
                Arguments.of("queues[1].quotas[0].lendingLimitGpus", -2,
                        "cluster: queues[1].quotas[0].lendingLimitGpus: -2 must be >= 0"),
                Arguments.of("queues[0].quotas[0].flavor", "", "cluster: queues[0].quotas[0].flavor: \"\" must be a"),
                Arguments.of("queues[0].preemption.withinQueue", "Any",
                        "cluster: queues[0].preemption.withinQueue: \"Any\" is not one of Never, LowerPriority"),
                Arguments.of("queues[0].preemption.reclaimWithinCohort", "Always",
                        "cluster: queues[0].preemption.reclaimWithinCohort: \"Always\" is not one of Never, "
                                + "LowerPriority, Any"),
                Arguments.of("queues[0].preemption.borrowWithinCohort", "Any",
                        "cluster: queues[0].preemption.borrowWithinCohort: \"Any\" is not one of Never, "
                                + "LowerPriority"),
                Arguments.of("queues", "all", "cluster: queues: \"all\" must be a JSON array"),
                Arguments.of("running[2].queue", "ml", "cluster: running[2].queue: \"ml\" is not a queue of the "
                        + "cluster document"),
                Arguments.of("running[0].startedAt", "yesterday", "cluster: running[0].startedAt: \"yesterday\" "
                        + "must be an ISO-8601"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badQueues")
    void everyQueueViolationNamesTheFieldAndValue(String path, Object value, String message) {
        ObjectNode cluster = TestDocs.parse(QueueDocs.CLUSTER);
        TestDocs.set(cluster, path, value == null ? null : TestDocs.JSON.valueToTree(value));
        JsonNode jobs = TestDocs.parse("{\"now\": \"2026-11-22T00:00:00Z\", \"jobs\": []}");
        assertThatThrownBy(() -> new ProblemReader().read(cluster, jobs, null))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aPendingJobNamingAnUnknownQueueIsAnInputError() {
        JsonNode cluster = TestDocs.parse(QueueDocs.CLUSTER);
        JsonNode jobs = TestDocs.parse("{\"now\": \"2026-11-22T00:00:00Z\", \"jobs\": [" + job("x", "ml", 1, 1, 1)
                + "]}");
        assertThatThrownBy(() -> new ProblemReader().read(cluster, jobs, null))
                .hasMessage("jobs: jobs[0].queue: \"ml\" is not a queue of the cluster document");
        JsonNode plain = TestDocs.parse(TestDocs.CLUSTER);
        assertThatThrownBy(() -> new ProblemReader().read(plain, jobs, null))
                .hasMessage("jobs: jobs[0].queue: \"ml\" is not a queue of the cluster document (it has no queues)");
    }
}
