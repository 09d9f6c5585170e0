package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.problem.MigCatalogue;

/** A job document's GPU share per task (contract section 6): WHOLE count, SHARED milli/1000, MIG slices/7. */
final class Shapes {

    private Shapes() {
    }

    static double share(JsonNode job) {
        JsonNode gpu = job.path("gpu");
        return switch (gpu.path("kind").asText("WHOLE")) {
            case "WHOLE" -> gpu.path("count").asDouble(1);
            case "SHARED" -> gpu.path("milli").asDouble(0) / 1000;
            case "MIG" -> MigCatalogue.bundled().computeSlicesOf(gpu.path("profile").asText()) / 7.0;
            default -> 0;
        };
    }
}
