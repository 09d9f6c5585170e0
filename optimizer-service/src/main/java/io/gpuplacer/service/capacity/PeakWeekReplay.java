package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.service.state.OracleView;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The planned fleet checked with the placement model itself: a week of forecast demand, hour by hour, as jobs of the
 * workload's shapes (gangs, topology, MIG profiles) placed by the oracle on the nodes as they are then occupied. Work
 * that finds no place waits and is tried again the next hour; when demand falls the newest jobs end. What waited is
 * the work GPU totals alone would not show: fragments too small for a gang, MIG geometry, topology.
 */
public final class PeakWeekReplay {

    static final int HOURS = 168;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The week replayed and what of its demand found no place (GPU-hours, the share of the demand). */
    public record Result(Instant from, int nodes, double demandGpuHours, double unplacedGpuHours,
                         double unplacedShare, int jobsPlaced) {
    }

    private PeakWeekReplay() {
    }

    /**
     * Replays {@code demand} (per GPU model, one value per hour from {@code from}) on the nodes of {@code cluster}
     * (a cluster document, none running), with jobs cycled from {@code shapes} (per GPU model; a job of one whole GPU
     * where none is given).
     */
    public static Result replay(JsonNode cluster, Map<String, double[]> demand, Map<String, List<JsonNode>> shapes,
                                Instant from, JsonNode signals) throws InputException {
        List<Placed> running = new ArrayList<>();
        Deque<ObjectNode> waiting = new ArrayDeque<>();
        Map<String, Integer> made = new java.util.HashMap<>();
        double demanded = 0;
        double unplaced = 0;
        int placedJobs = 0;
        ProblemReader reader = new ProblemReader();
        for (int h = 0; h < HOURS; h++) {
            Instant now = from.plusSeconds(3600L * h);
            for (Map.Entry<String, double[]> e : demand.entrySet()) {
                String model = e.getKey();
                double target = e.getValue()[h];
                demanded += target;
                // Demand fell: the newest jobs end; it rose: new jobs of the workload's shapes join the queue.
                double have = share(running, model) + waitingShare(waiting, model);
                while (have > target + 1e-9 && endNewest(running, waiting, model)) {
                    have = share(running, model) + waitingShare(waiting, model);
                }
                List<JsonNode> mix = shapes.getOrDefault(model, List.of());
                while (have < target - 1e-9) {
                    int n = made.merge(model, 1, Integer::sum);
                    ObjectNode job = job(model, n, mix.isEmpty() ? null : mix.get((n - 1) % mix.size()));
                    waiting.addLast(job);
                    have += job.path("tasks").asInt(1) * Shapes.share(job);
                }
            }
            OracleView view = null;
            int count = waiting.size();
            for (int i = 0; i < count; i++) {
                ObjectNode job = waiting.pollFirst();
                if (view == null) {
                    view = view(cluster, running, signals, now, reader);
                }
                Placed placed = place(view, reader, job);
                if (placed == null) {
                    unplaced += job.path("tasks").asInt(1) * Shapes.share(job);
                    waiting.addLast(job);
                } else {
                    running.add(placed);
                    placedJobs++;
                    if (placed.tasks().size() > 1) {
                        view = null; // a gang is not committed to the oracle: the next job sees it in a new view
                    }
                }
            }
        }
        return new Result(from, cluster.path("nodes").size(), CapacityPlanner.round(demanded),
                CapacityPlanner.round(unplaced), demanded > 0 ? CapacityPlanner.round(unplaced / demanded) : 0,
                placedJobs);
    }

    /** A job placed: its document and where each task went. */
    private record Placed(ObjectNode job, List<PlacementOracle.TaskPlacement> tasks) {
        void writeTo(ArrayNode running) {
            for (PlacementOracle.TaskPlacement t : tasks) {
                ObjectNode r = running.addObject().put("job", job.get("id").asText()).put("task", t.task().getTask())
                        .put("node", t.node().id()).put("remainingHours", 1).put("migratable", false);
                ArrayNode gpus = r.putArray("gpus");
                for (int g : t.gpus()) {
                    gpus.add(g);
                }
                if (t.migStart() != null) {
                    r.put("migStart", t.migStart());
                } else {
                    r.putNull("migStart");
                }
                for (String field : new String[] {"team", "priority", "gpu", "cpuMillis", "memoryMiB", "gpuModels",
                        "topology", "preemptible", "checkpointMinutes", "restartMinutes", "utilization"}) {
                    if (job.has(field)) {
                        r.set(field, job.get(field));
                    }
                }
            }
        }
    }

    /** The oracle's view of the fleet with the work placed so far running on it. */
    private static OracleView view(JsonNode cluster, List<Placed> running, JsonNode signals, Instant now,
                                   ProblemReader reader) throws InputException {
        ObjectNode doc = cluster.deepCopy();
        ArrayNode runningDoc = doc.putArray("running");
        running.forEach(p -> p.writeTo(runningDoc));
        ObjectNode jobs = JSON.objectNode().put("now", now.toString()).put("horizonHours", 1);
        jobs.putArray("jobs");
        return OracleView.of(reader.read(doc, jobs, signals(doc, signals, now)));
    }

    private static Placed place(OracleView view, ProblemReader reader, ObjectNode job) throws InputException {
        Job read = reader.readJob(job, "replay", view.runningJobIds(), view.base().now());
        List<TaskAssignment> tasks = view.tasksOf(read);
        if (tasks.stream().anyMatch(t -> t.getNodeRange().isEmpty())) {
            return null;
        }
        List<PlacementOracle.JobOption> options = view.oracle().recommendJob(tasks, 1, SearchBudget.ofMillis(200));
        if (options.isEmpty() || options.get(0).placements().get(0).start() != 0) {
            return null;
        }
        if (tasks.size() == 1) { // the oracle commits single tasks (the next job of this hour sees it taken)
            PlacementOracle.TaskPlacement p = options.get(0).placements().get(0);
            view.oracle().assign(p.task(), p.node(), p.start());
        }
        return new Placed(job, options.get(0).placements());
    }

    private static ObjectNode job(String model, int n, JsonNode shape) {
        ObjectNode job = shape == null ? JSON.objectNode().put("tasks", 1).put("cpuMillis", 1000).put("memoryMiB", 1024)
                : ((ObjectNode) shape).deepCopy();
        if (shape == null) {
            job.putObject("gpu").put("kind", "WHOLE").put("count", 1);
        }
        job.put("id", "replay-" + model + "-" + n).put("durationHours", 1);
        job.putIfAbsent("team", JSON.textNode("replay"));
        job.putIfAbsent("priority", JSON.numberNode(1));
        job.remove(List.of("earliestStart", "deadline", "queue"));
        job.putArray("gpuModels").add(model);
        return job;
    }

    private static double share(List<Placed> running, String model) {
        return running.stream().filter(p -> model.equals(p.job().get("gpuModels").get(0).asText()))
                .mapToDouble(p -> p.job().path("tasks").asInt(1) * Shapes.share(p.job())).sum();
    }

    private static double waitingShare(Deque<ObjectNode> waiting, String model) {
        return waiting.stream().filter(j -> model.equals(j.get("gpuModels").get(0).asText()))
                .mapToDouble(j -> j.path("tasks").asInt(1) * Shapes.share(j)).sum();
    }

    /** Ends the newest job of the model (waiting first, then running); false when there is none. */
    private static boolean endNewest(List<Placed> running, Deque<ObjectNode> waiting, String model) {
        for (java.util.Iterator<ObjectNode> it = waiting.descendingIterator(); it.hasNext(); ) {
            if (model.equals(it.next().get("gpuModels").get(0).asText())) {
                it.remove();
                return true;
            }
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            if (model.equals(running.get(i).job().get("gpuModels").get(0).asText())) {
                running.remove(i);
                return true;
            }
        }
        return false;
    }

    /** Signals for the hour: the given document, else flat zero series for every zone (the replay needs no prices). */
    private static JsonNode signals(JsonNode cluster, JsonNode given, Instant now) {
        if (given != null) {
            return given;
        }
        ObjectNode out = JSON.objectNode();
        ObjectNode zones = out.putObject("zones");
        for (JsonNode z : cluster.path("zones")) {
            ObjectNode zone = zones.putObject(z.path("id").asText());
            zone.putArray("carbon").addObject().put("at", now.toString()).put("gPerKWh", 0);
            zone.putArray("price").addObject().put("at", now.toString()).put("usdPerMWh", 0);
        }
        return out;
    }
}
