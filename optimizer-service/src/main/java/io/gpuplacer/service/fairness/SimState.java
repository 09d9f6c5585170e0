package io.gpuplacer.service.fairness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated cluster at one hour: which job runs where (and how long it still runs), which wait, and the
 * interchange documents of that moment, which both policies and the validator read.
 */
final class SimState {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int HORIZON = 48;
    static final double UTILIZATION = 0.8;

    /** A job running: on one node, on these GPUs, for {@code remaining} more hours, started (last) at an hour. */
    static final class Live {
        final FairnessWorkload.Arrival job;
        final String node;
        final int[] gpus;
        double remaining;
        final int startedHour;

        Live(FairnessWorkload.Arrival job, String node, int[] gpus, double remaining, int startedHour) {
            this.job = job;
            this.node = node;
            this.gpus = gpus;
            this.remaining = remaining;
            this.startedHour = startedHour;
        }
    }

    /** A job waiting, with the hours it still needs (more after a preemption). */
    static final class Waiting {
        final FairnessWorkload.Arrival job;
        double remaining;

        Waiting(FairnessWorkload.Arrival job, double remaining) {
            this.job = job;
            this.remaining = remaining;
        }
    }

    final FairnessWorkload workload;
    final Map<String, Live> running = new LinkedHashMap<>();
    final Map<String, Waiting> pending = new LinkedHashMap<>();
    final Map<String, String> zoneOf = new LinkedHashMap<>();
    int hour;

    SimState(FairnessWorkload workload) {
        this.workload = workload;
        workload.cluster().get("nodes").forEach(n -> zoneOf.put(n.get("id").asText(), n.get("zone").asText()));
    }

    Instant at(int h) {
        return workload.grid().now().plusSeconds(3600L * h);
    }

    /** GPU indices free on the node now. */
    List<Integer> freeGpus(String node) {
        boolean[] held = new boolean[FairnessWorkload.GPUS_PER_NODE];
        for (Live l : running.values()) {
            if (l.node.equals(node)) {
                for (int g : l.gpus) {
                    held[g] = true;
                }
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int g = 0; g < held.length; g++) {
            if (!held[g]) {
                free.add(g);
            }
        }
        return free;
    }

    /** The cluster document now: nodes, queues and the running jobs with their queue and start. */
    ObjectNode clusterDoc() {
        ObjectNode doc = workload.cluster();
        ArrayNode tasks = doc.putArray("running");
        for (Live l : running.values()) {
            ObjectNode t = tasks.addObject().put("job", l.job.id()).put("task", 0).put("node", l.node);
            ArrayNode gpus = t.putArray("gpus");
            for (int g : l.gpus) {
                gpus.add(g);
            }
            t.put("remainingHours", l.remaining).put("migratable", false).put("queue", l.job.queue())
                    .put("team", l.job.queue()).put("startedAt", at(l.startedHour).toString());
            fields(t, l.job);
        }
        return doc;
    }

    /**
     * The job queue now: every waiting job, those with a deadline with it while it can still be met (at the last
     * hour too, so that the plan knows it must start now).
     */
    ObjectNode jobsDoc() {
        ObjectNode doc = JSON.createObjectNode().put("now", at(hour).toString()).put("horizonHours", HORIZON);
        ArrayNode jobs = doc.putArray("jobs");
        for (Waiting w : pending.values()) {
            ObjectNode j = jobs.addObject().put("id", w.job.id()).put("queue", w.job.queue())
                    .put("team", w.job.queue()).put("tasks", 1).put("durationHours", w.remaining);
            fields(j, w.job);
            if (w.job.deadlineHour() >= 0 && hour + Math.ceil(w.remaining) <= w.job.deadlineHour()) {
                j.put("deadline", at(w.job.deadlineHour()).toString());
            }
        }
        return doc;
    }

    /** Whether the job may still wait: it has a deadline and it can start after now and meet it. */
    boolean deferrable(Waiting w) {
        return w.job.deadlineHour() >= 0 && hour + Math.ceil(w.remaining) < w.job.deadlineHour();
    }

    private static void fields(ObjectNode j, FairnessWorkload.Arrival job) {
        j.put("priority", job.priority());
        j.putObject("gpu").put("kind", "WHOLE").put("count", job.gpus());
        j.put("cpuMillis", 4000L * job.gpus()).put("memoryMiB", 32_768L * job.gpus()).put("preemptible", false)
                .put("checkpointMinutes", job.checkpointMinutes()).put("restartMinutes", job.restartMinutes())
                .put("utilization", UTILIZATION);
    }

    /** The signals from now over the horizon (the grid's series repeated past its end). */
    ObjectNode signalsDoc() {
        ObjectNode doc = JSON.createObjectNode();
        ObjectNode zones = doc.putObject("zones");
        for (String zone : new java.util.LinkedHashSet<>(zoneOf.values())) {
            ObjectNode z = zones.putObject(zone);
            ArrayNode carbon = z.putArray("carbon");
            ArrayNode price = z.putArray("price");
            for (int t = 0; t < HORIZON; t++) {
                carbon.addObject().put("at", at(hour + t).toString()).put("gPerKWh", workload.carbon(zone, hour + t));
                price.addObject().put("at", at(hour + t).toString()).put("usdPerMWh", workload.price(zone, hour + t));
            }
        }
        return doc;
    }
}
