package io.gpuplacer.service.queues;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.kubernetes.KubernetesSnapshots;
import io.gpuplacer.service.recommend.RecommendationResponse;
import io.gpuplacer.service.recommend.RecommendationService;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why each pod of a queue waits: its job asked of the oracle as a recommendation would be, now. No place: the
 * oracle's reason (the queue and the limit, or the rule that blocks it); a place now: nothing of this service holds
 * it (kube-scheduler or its gate has not bound it yet); a place later: when, where and why then.
 */
public final class WaitingReasons {

    @Schema(name = "QueueWaiting", description = "The pods of a queue waiting for a node, the oldest first")
    public record Report(String queue, String now, List<Pod> waiting) {
    }

    @Schema(name = "QueueWaitingPod")
    public record Pod(String pod, @Schema(nullable = true) String job, double gpus,
                      @Schema(nullable = true) String since, @Schema(nullable = true) Double waitHours, String why) {
    }

    private WaitingReasons() {
    }

    public static Report of(String queue, List<KubernetesSnapshots.WaitingJob> waiting,
                            RecommendationService oracle, Instant now) {
        Map<String, String> byJob = new HashMap<>(); // a gang's pods wait for one reason
        List<Pod> out = new ArrayList<>();
        for (KubernetesSnapshots.WaitingJob w : waiting) {
            String job = w.job() == null ? null : w.job().path("id").asText();
            String why = w.job() == null ? "its pod does not read as a job: " + w.error()
                    : byJob.computeIfAbsent(job, j -> why(oracle, w.job()));
            Instant since = w.pod().since();
            out.add(new Pod(w.pod().pod(), job, w.pod().gpus(), since == null ? null : since.toString(),
                    since == null ? null : Math.round(Duration.between(since, now).toMillis() / 36_000.0) / 100.0,
                    why));
        }
        return new Report(queue, now.toString(), List.copyOf(out));
    }

    private static String why(RecommendationService oracle, ObjectNode job) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("limit", 1);
        request.set("job", job);
        RecommendationResponse answer;
        try {
            answer = oracle.recommend(request);
        } catch (InputException e) {
            return "its job does not read: " + e.getMessage();
        }
        if (answer.recommendations().isEmpty()) {
            return answer.reasons().isEmpty() ? "no place now" : answer.reasons().get(0);
        }
        RecommendationResponse.Recommendation best = answer.recommendations().get(0);
        int slot = best.placements().get(0).startSlot();
        String where = best.explanation().isEmpty() ? "" : ": " + best.explanation().get(0);
        return slot == 0 ? "a place is free now" + where + "; kube-scheduler (or its gate's release) has not bound "
                + "it yet" : "its best place starts at " + best.startsAt() + " (slot " + slot + ")" + where
                + (best.explanation().size() > 1 ? "; " + best.explanation().get(1) : "");
    }
}
