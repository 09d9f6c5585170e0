package io.gpuplacer.service.solve;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backfill in words: on one node of 8 GPUs, train-42 (8 GPUs, priority 100) may start only in 4 hours; a 2-hour job
 * of lower priority runs now on GPUs train-42 holds from its start and ends in time: its explanation says it was
 * backfilled until train-42's start, naming it; train-42's own explanation says nothing of the kind.
 */
class BackfillExplanationTest {

    private static final String CLUSTER = """
            {"zones": [{"id": "DE", "pue": 1.2}],
             "nodes": [{"id": "h1", "zone": "DE", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 64000,
               "memoryMiB": 524288, "capacityType": "ON_DEMAND", "costPerHour": 10.0, "baseWatts": 1000,
               "gpuBusyWatts": 600}],
             "running": []}""";

    @Test
    void shortWorkBeforeALaterStartIsToldItWasBackfilled() {
        String jobs = """
                {"now": "2026-11-22T00:00:00Z", "horizonHours": 24, "jobs": [
                 {"id": "train-42", "team": "nlp", "priority": 100, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 8},
                  "cpuMillis": 1000, "memoryMiB": 1024, "durationHours": 6,
                  "earliestStart": "2026-11-22T04:00:00Z", "deadline": "2026-11-22T23:00:00Z"},
                 {"id": "eval-7", "team": "nlp", "priority": 10, "tasks": 1, "gpu": {"kind": "WHOLE", "count": 4},
                  "cpuMillis": 1000, "memoryMiB": 1024, "durationHours": 2}]}""";
        Problem problem = TestDocs.read(CLUSTER, jobs, null);
        Plan plan = new PlacementSolver().solve(problem, new PlacementSolver.Options(Duration.ofSeconds(1),
                Duration.ofSeconds(1), EnvironmentMode.PHASE_ASSERT, 1L), p -> { }).plan();
        assertThat(PlanValidator.validate(problem, plan)).isEmpty();
        Plan.Placement train = plan.placements().stream().filter(p -> p.job().equals("train-42")).findFirst()
                .orElseThrow();
        assertThat(train.startSlot()).isGreaterThanOrEqualTo(4);
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(Instant.parse("2026-11-22T00:00:00Z").plusSeconds(3600L * train.startSlot()));
        assertThat(plan.explanations()).filteredOn(e -> e.job().equals("eval-7")).singleElement()
                .satisfies(e -> assertThat(e.summary()).endsWith("; backfilled until " + when + " (slot "
                        + train.startSlot() + "), before train-42"));
        assertThat(plan.explanations()).filteredOn(e -> e.job().equals("train-42")).singleElement()
                .satisfies(e -> assertThat(e.summary()).doesNotContain("backfilled"));
    }
}
