package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workload's job shapes for the replay, from a job queue document (contract section 2): each job is a shape of
 * the GPU models it names, or of every model of the history when it names none. Jobs without GPUs are left out.
 */
public final class JobShapes {

    private JobShapes() {
    }

    public static Map<String, List<JsonNode>> byModel(JsonNode jobsDoc, DemandHistory history, String name)
            throws InputException {
        JsonNode jobs = jobsDoc.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw new InputException("jobs", null, name + ": jobs: a non-empty array of jobs is needed (their shapes "
                    + "make the replay's work)");
        }
        java.util.Set<String> models = new java.util.TreeSet<>();
        history.series().keySet().forEach(k -> models.add(k.gpuModel()));
        Map<String, List<JsonNode>> out = new TreeMap<>();
        for (JsonNode job : jobs) {
            if (Shapes.share(job) <= 0) {
                continue;
            }
            List<String> named = new ArrayList<>();
            job.path("gpuModels").forEach(m -> named.add(m.asText()));
            for (String model : named.isEmpty() ? models : named) {
                out.computeIfAbsent(model, k -> new ArrayList<>()).add(job);
            }
        }
        return out;
    }
}
