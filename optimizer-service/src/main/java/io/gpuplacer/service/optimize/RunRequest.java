package io.gpuplacer.service.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.state.ClusterState;

/**
 * A run asked for, read against the state in force: {@code {"jobs": <jobs document or array of jobs>, "seconds": n}}.
 * Bad input is refused with the field named (nested fields of the queue under {@code jobs.}).
 */
record RunRequest(int seconds, JsonNode jobs, Problem problem) {

    static final int DEFAULT_SECONDS = 10;

    static RunRequest read(JsonNode request, ClusterState state) throws InputException {
        int seconds = DEFAULT_SECONDS;
        JsonNode secondsField = request.get("seconds");
        if (secondsField != null && !secondsField.isNull()) {
            if (!secondsField.isIntegralNumber() || secondsField.asLong() < 1
                    || secondsField.asLong() > OptimizationService.MAX_SECONDS) {
                throw new InputException("seconds", secondsField.toString(), "seconds: " + secondsField
                        + " must be a whole number from 1 to " + OptimizationService.MAX_SECONDS);
            }
            seconds = secondsField.asInt();
        }
        JsonNode jobs = request.get("jobs");
        if (jobs == null || !(jobs.isObject() || jobs.isArray())) {
            throw new InputException("jobs", jobs == null ? null : jobs.toString(), "jobs: expected the job queue: "
                    + "a jobs document ({\"now\", \"horizonHours\", \"jobs\": [...]}) or an array of jobs");
        }
        try {
            return new RunRequest(seconds, jobs, state.problemWith(jobs));
        } catch (InputException e) {
            throw new InputException("jobs." + e.field(), e.value(), e.getMessage());
        }
    }

    int tasks() {
        return problem.jobs().stream().mapToInt(j -> j.tasks()).sum();
    }
}
