package io.gpuplacer.service.ledger;

import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prepared state (read once, asked per arrival) gives every job the first fit and bound that reading the
 * state with that one job gives: all jobs of generated queues (gangs of every topology, whole, shared, MIG,
 * CPU-only, windows, jobs that fit nowhere), with and without team queues, on clusters with evacuees.
 */
class FirstFitAtArrivalTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void thePreparedStateAnswersAsAFreshRead(long seed) throws Exception {
        for (boolean queues : new boolean[]{false, true}) {
            ProblemGenerator.Documents docs = ProblemGenerator.generate(60, 400, seed);
            if (queues) {
                docs = ProblemGenerator.withQueues(docs, seed);
            }
            Problem full = new ProblemReader().read(docs.cluster(), docs.jobs(), docs.signals());
            Problem base = new Problem(full.now(), full.horizonHours(), full.zones(), full.nodes(), List.of(),
                    full.running(), full.queues(), full.warnings());
            FirstFitAtArrival.State state = new FirstFitAtArrival.State(base);
            Instant arrived = full.now().plusSeconds(600);
            int placed = 0;
            for (Job job : full.jobs()) {
                Job alone = withIndexZero(job);
                Problem withJob = new Problem(full.now(), full.horizonHours(), full.zones(), full.nodes(),
                        List.of(alone), full.running(), full.queues(), full.warnings());
                FirstFitAtArrival.Result fresh = FirstFitAtArrival.of(withJob, job.id(), arrived);
                FirstFitAtArrival.Result prepared = FirstFitAtArrival.of(state, alone, arrived);
                assertThat(prepared).as("%s (queues %s)", job.id(), queues).isEqualTo(fresh);
                placed += fresh.firstFit() == null ? 0 : 1;
            }
            // Both kinds of answer are drawn: most jobs fit an empty-ish cluster, some fit nowhere.
            assertThat(placed).isGreaterThan(full.jobs().size() / 2).isLessThan(full.jobs().size());
        }
    }

    /** The job as the only one of a queue (a job's index is its position). */
    private static Job withIndexZero(Job j) {
        return new Job(0, j.id(), j.team(), j.queue(), j.priority(), j.tasks(), j.gpu(), j.cpuMillis(), j.memoryMiB(),
                j.gpuModels(), j.topology(), j.preemptible(), j.checkpointMinutes(), j.restartMinutes(),
                j.durationHours(), j.utilization(), j.earliestStart(), j.deadline(), j.running());
    }
}
