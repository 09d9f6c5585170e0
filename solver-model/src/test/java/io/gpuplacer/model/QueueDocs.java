package io.gpuplacer.model;

import io.gpuplacer.model.problem.Problem;

/**
 * The worked example of section 9 used across the queue tests. Four H100 nodes of 8 GPUs (h1-h4, one block)
 * and one A100 node of 8 (a1). Cohort research: nlp (H100 nominal 8, borrowingLimit 4; preempts lower priority
 * within the queue, reclaims Any, borrows while reclaiming from lower priority), vision (H100 nominal 16,
 * lendingLimit 2, so 14 guaranteed; reclaims from lower priority) and lab (H100 nominal 0, only borrows). Queue
 * solo has no cohort (A100 nominal 2). Running: nlp-run (4 GPUs on h1 for 5 h, priority 10), vision-run (8 on h2,
 * priority 50), lab-run (a gang of 2 x 2 on h3 for 8 h, priority 30), and solo-run (4 A100 GPUs for 3 h, above
 * solo's nominal already).
 *
 * <p>The cohort lends 8 (nlp) + 2 (vision) + 0 (lab) = 10 H100 GPUs; above their guarantees nlp uses 4 and lab 4,
 * so 2 are left: nlp may add 2 now, not 4, though it is below its nominal (lab borrows the rest).
 */
public final class QueueDocs {

    public static final String CLUSTER = """
            {"zones": [{"id": "DE", "pue": 1.2}],
             "nodes": [
              %s, %s, %s, %s,
              {"id": "a1", "zone": "DE", "block": "b1", "gpuModel": "A100-80GB", "gpuCount": 8, "cpuMillis": 64000,
               "memoryMiB": 524288, "capacityType": "ON_DEMAND", "costPerHour": 4.0, "baseWatts": 500,
               "gpuBusyWatts": 300}
             ],
             "queues": [
              {"id": "nlp", "cohort": "research", "fairShareWeight": 2,
               "quotas": [{"flavor": "H100-80GB", "nominalGpus": 8, "borrowingLimitGpus": 4}],
               "preemption": {"withinQueue": "LowerPriority", "reclaimWithinCohort": "Any",
                              "borrowWithinCohort": "LowerPriority"}},
              {"id": "vision", "cohort": "research",
               "quotas": [{"flavor": "H100-80GB", "nominalGpus": 16, "lendingLimitGpus": 2}],
               "preemption": {"reclaimWithinCohort": "LowerPriority"}},
              {"id": "lab", "cohort": "research", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 0}]},
              {"id": "solo", "quotas": [{"flavor": "A100-80GB", "nominalGpus": 2}]}
             ],
             "running": [
              {"job": "nlp-run", "task": 0, "node": "h1", "gpus": [0,1,2,3], "remainingHours": 5, "team": "nlp",
               "priority": 10, "gpu": {"kind": "WHOLE", "count": 4}, "cpuMillis": 1000, "memoryMiB": 1024,
               "checkpointMinutes": 60, "restartMinutes": 6, "startedAt": "2026-11-21T20:00:00Z"},
              {"job": "vision-run", "task": 0, "node": "h2", "gpus": [0,1,2,3,4,5,6,7], "remainingHours": 10,
               "team": "vision", "priority": 50, "gpu": {"kind": "WHOLE", "count": 8}, "cpuMillis": 1000,
               "memoryMiB": 1024},
              {"job": "lab-run", "task": 0, "node": "h3", "gpus": [0,1], "remainingHours": 8, "queue": "lab",
               "team": "x", "priority": 30, "gpu": {"kind": "WHOLE", "count": 2}, "cpuMillis": 1000,
               "memoryMiB": 1024, "checkpointMinutes": 30, "restartMinutes": 3},
              {"job": "lab-run", "task": 1, "node": "h3", "gpus": [2,3], "remainingHours": 8, "queue": "lab",
               "team": "x", "priority": 30, "gpu": {"kind": "WHOLE", "count": 2}, "cpuMillis": 1000,
               "memoryMiB": 1024, "checkpointMinutes": 30, "restartMinutes": 3},
              {"job": "solo-run", "task": 0, "node": "a1", "gpus": [0,1,2,3], "remainingHours": 3, "team": "solo",
               "priority": 10, "gpu": {"kind": "WHOLE", "count": 4}, "cpuMillis": 1000, "memoryMiB": 1024}
             ]}
            """.formatted(h100("h1"), h100("h2"), h100("h3"), h100("h4"));

    private QueueDocs() {
    }

    private static String h100(String id) {
        return """
                {"id": "%s", "zone": "DE", "block": "b1", "gpuModel": "H100-80GB", "gpuCount": 8, "cpuMillis": 64000,
                 "memoryMiB": 524288, "capacityType": "ON_DEMAND", "costPerHour": 10.0, "baseWatts": 1000,
                 "gpuBusyWatts": 600}""".formatted(id);
    }

    /** A job of 1 task: id, queue (or null: the team decides), priority, WHOLE GPUs, duration in hours. */
    public static String job(String id, String queue, int priority, int gpus, double hours) {
        return "{\"id\": \"" + id + "\", " + (queue == null ? "" : "\"queue\": \"" + queue + "\", ")
                + "\"team\": \"t-" + id + "\", \"priority\": " + priority + ", \"tasks\": 1, "
                + "\"gpu\": {\"kind\": \"" + (gpus == 0 ? "NONE\"" : "WHOLE\", \"count\": " + gpus) + "}, "
                + "\"cpuMillis\": 1000, \"memoryMiB\": 1024, \"durationHours\": " + hours + "}";
    }

    /** The job with a deadline at the end of the 12-hour horizon (it may start later). */
    public static String deferrable(String job) {
        var node = TestDocs.parse(job);
        node.put("deadline", "2026-11-22T12:00:00Z");
        return node.toString();
    }

    /** The example with these pending jobs, over a 12-hour horizon. */
    public static Problem problem(String... jobs) {
        String queue = "{\"now\": \"2026-11-22T00:00:00Z\", \"horizonHours\": 12, \"jobs\": ["
                + String.join(",", jobs) + "]}";
        return TestDocs.read(CLUSTER, queue, null);
    }
}
