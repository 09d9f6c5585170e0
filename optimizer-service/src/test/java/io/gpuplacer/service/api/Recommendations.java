package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.model.validation.PlanValidator;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a recommendation as a scheduler would rely on it: with the independent plan validator. */
final class Recommendations {

    private Recommendations() {
    }

    /** A job of the interchange contract. */
    static ObjectNode job(String id, int tasks, String gpu, String topology) {
        ObjectNode job = TestService.JSON.createObjectNode();
        job.put("id", id);
        job.put("tasks", tasks);
        job.put("durationHours", 2.0);
        job.put("priority", 10);
        job.set("gpu", read(gpu));
        job.put("cpuMillis", 4000);
        job.put("memoryMiB", 16384);
        job.put("topology", topology);
        job.put("preemptible", true);
        return job;
    }

    static JsonNode read(String json) {
        try {
            return TestService.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every placement of the recommendation, as a plan of the job alone, breaks no rule of section 5. */
    static void assertFeasible(JsonNode cluster, JsonNode signals, JsonNode job, String now, JsonNode recommendation)
            throws Exception {
        ObjectNode jobs = TestService.JSON.createObjectNode();
        jobs.put("now", now);
        jobs.put("horizonHours", 48);
        jobs.putArray("jobs").add(job);
        Problem problem = new ProblemReader().read(cluster, jobs, signals);
        List<Plan.Placement> placements = new ArrayList<>();
        for (JsonNode p : recommendation.get("placements")) {
            List<Integer> gpus = new ArrayList<>();
            p.path("gpus").forEach(g -> gpus.add(g.asInt()));
            placements.add(new Plan.Placement(job.get("id").asText(), p.get("task").asInt(), p.get("node").asText(),
                    p.get("gpus").isNull() ? null : gpus, p.get("migStart").isNull() ? null : p.get("migStart").asInt(),
                    p.get("startSlot").asInt()));
        }
        // Running work on unhealthy nodes is not the recommendation's business: report it unplaced.
        List<Plan.Unplaced> unplaced = new ArrayList<>();
        for (RunningTask r : problem.running()) {
            if (!r.node().healthy()) {
                unplaced.add(new Plan.Unplaced(r.job().id(), r.task(), "node unhealthy"));
            }
        }
        Plan plan = new Plan("0hard/0medium/0soft", true, placements, unplaced, List.of(), null, List.of(),
                List.of(), null);
        assertThat(PlanValidator.validate(problem, plan)).as("recommendation %s", recommendation).isEmpty();
    }
}
