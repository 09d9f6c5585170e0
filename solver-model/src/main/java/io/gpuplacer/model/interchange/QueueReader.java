package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.problem.PreemptionPolicy;
import io.gpuplacer.model.problem.PreemptionScope;
import io.gpuplacer.model.problem.Queue;
import io.gpuplacer.model.problem.Quota;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the cluster document's {@code queues} (section 9, v1.2) and resolves a job's queue: its {@code queue},
 * else the queue whose id is its team, else none.
 */
final class QueueReader {

    /** GPU quantities beyond any real fleet, low enough that quota units (x 7000) stay far from overflow. */
    static final double MAX_GPUS = 1e9;

    private QueueReader() {
    }

    static List<Queue> read(JsonField doc, Set<String> gpuModels, List<String> warnings) throws InputException {
        List<Queue> queues = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<JsonNode> items = doc.array("queues", false);
        for (int i = 0; i < items.size(); i++) {
            JsonField q = new JsonField(items.get(i), "queues[" + i + "]");
            String id = q.string("id");
            if (!ids.add(id)) {
                throw q.error("id", "\"" + id + "\"", "is used by two queues; queue ids must be unique");
            }
            String cohort = q.optString("cohort", null);
            double weight = q.optNumber("fairShareWeight", 1.0, 0.0, 1e6);
            if (weight <= 0) {
                throw q.error("fairShareWeight", q.raw("fairShareWeight"), "must be > 0");
            }
            Map<String, Quota> quotas = new LinkedHashMap<>();
            List<JsonNode> quotaItems = q.array("quotas", false);
            for (int k = 0; k < quotaItems.size(); k++) {
                Quota quota = quota(new JsonField(quotaItems.get(k), q.child("quotas[" + k + "]")));
                if (quotas.put(quota.flavor(), quota) != null) {
                    throw new JsonField(quotaItems.get(k), q.child("quotas[" + k + "]")).error("flavor",
                            "\"" + quota.flavor() + "\"", "is listed twice in queue \"" + id + "\"");
                }
                if (gpuModels != null && !gpuModels.contains(quota.flavor())) {
                    warnings.add("queue " + id + ": flavor " + quota.flavor() + " is the gpuModel of no node");
                }
            }
            queues.add(new Queue(i, id, cohort, weight, Map.copyOf(quotas), policy(q)));
        }
        return queues;
    }

    private static Quota quota(JsonField f) throws InputException {
        return new Quota(f.string("flavor"), f.number("nominalGpus", 0.0, MAX_GPUS),
                nullableGpus(f, "borrowingLimitGpus"), nullableGpus(f, "lendingLimitGpus"));
    }

    private static Double nullableGpus(JsonField f, String name) throws InputException {
        return f.has(name) ? f.number(name, 0.0, MAX_GPUS) : null;
    }

    private static PreemptionPolicy policy(JsonField q) throws InputException {
        if (!q.has("preemption")) {
            return PreemptionPolicy.NEVER;
        }
        JsonField p = q.object("preemption");
        PreemptionScope within = p.enumValue("withinQueue", PreemptionScope.class, PreemptionScope.Never);
        PreemptionScope reclaim = p.enumValue("reclaimWithinCohort", PreemptionScope.class, PreemptionScope.Never);
        PreemptionScope borrow = p.enumValue("borrowWithinCohort", PreemptionScope.class, PreemptionScope.Never);
        if (within == PreemptionScope.Any) {
            throw p.error("withinQueue", "\"Any\"", "is not one of Never, LowerPriority");
        }
        if (borrow == PreemptionScope.Any) {
            throw p.error("borrowWithinCohort", "\"Any\"", "is not one of Never, LowerPriority");
        }
        return new PreemptionPolicy(within, reclaim, borrow);
    }

    /**
     * A job's queue: the one its {@code queue} names (which must exist), else the queue whose id is its team, else
     * none.
     */
    static Queue resolve(JsonField job, String team, List<Queue> queues) throws InputException {
        String named = job.optString("queue", null);
        for (Queue q : queues) {
            if (q.id().equals(named != null ? named : team)) {
                return q;
            }
        }
        if (named != null) {
            throw job.error("queue", "\"" + named + "\"", "is not a queue of the cluster document"
                    + (queues.isEmpty() ? " (it has no queues)" : ""));
        }
        return null;
    }
}
