package io.gpuplacer.service.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.telemetry.GpuReading;
import io.gpuplacer.connectors.telemetry.TelemetrySnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the GPUs reported, laid over a cluster snapshot: a node with a GPU that reported a listed XID or a
 * double-bit ECC error is unhealthy; a running task takes its measured utilisation (the mean over its GPUs of each
 * GPU's busy share divided by the GPU share of the tasks on it, so that shared GPUs split what they did) instead of
 * the declared one. MIG tasks keep theirs: DCGM numbers its instances by GPU_I_ID, which a snapshot does not carry.
 * Nodes are matched by the exporter's host label. Pure: the snapshot is not changed, a copy is.
 */
public final class TelemetryOverlay {

    /** A GPU that makes its node unhealthy. */
    public record Unhealthy(String node, int gpu, String reason) {
    }

    /** A running task whose GPUs all stayed below the idle threshold for the idle window. */
    public record Idle(String team, String job, int task, String node, List<Integer> gpus, double peakUtilization,
                       boolean migratable) {
    }

    /** A running task's utilisation as the model takes it, and where it comes from. */
    public record TaskFigures(String job, int task, String node, double declaredUtilization,
                              Double measuredUtilization, Double powerWatts, Double energyJoules, String source) {
    }

    public record View(List<Unhealthy> unhealthy, Map<String, List<Idle>> idleByTeam, List<TaskFigures> tasks,
                       Set<String> unknownHosts) {
    }

    private static final Map<Integer, String> XID_MEANING = Map.of(48, "double-bit ECC error", 79,
            "GPU has fallen off the bus", 94, "contained ECC error", 95, "uncontained ECC error", 63,
            "ECC page retirement or row remapping", 64, "ECC page retirement or row remapper failure", 74,
            "NVLink error", 92, "high single-bit ECC error rate");

    private TelemetryOverlay() {
    }

    /** The snapshot as the model reads it. */
    public static JsonNode apply(JsonNode cluster, TelemetrySnapshot snapshot) {
        if (!cluster.isObject()) {
            return cluster;
        }
        ObjectNode copy = cluster.deepCopy();
        Set<String> bad = new LinkedHashSet<>();
        unhealthy(snapshot).forEach(u -> bad.add(u.node()));
        for (JsonNode node : copy.path("nodes")) {
            if (node.isObject() && bad.contains(node.path("id").asText())) {
                ((ObjectNode) node).put("healthy", false);
            }
        }
        Map<String, Double> shares = sharesPerGpu(copy);
        Map<String, GpuReading> devices = devices(snapshot);
        for (JsonNode task : copy.path("running")) {
            Double measured = measured(task, devices, shares);
            if (measured != null) {
                ((ObjectNode) task).put("utilization", measured);
            }
        }
        return copy;
    }

    /** The lists an operator reads: unhealthy GPUs, idle work per team, each running task's figures. */
    public static View view(JsonNode cluster, TelemetrySnapshot snapshot, double idleUtilization) {
        Map<String, Double> shares = sharesPerGpu(cluster);
        Map<String, GpuReading> devices = devices(snapshot);
        Set<String> nodes = new LinkedHashSet<>();
        cluster.path("nodes").forEach(n -> nodes.add(n.path("id").asText()));
        Set<String> unknown = new java.util.TreeSet<>();
        snapshot.gpus().forEach(r -> {
            if (!nodes.contains(r.host())) {
                unknown.add(r.host());
            }
        });
        Map<String, List<Idle>> idle = new TreeMap<>();
        List<TaskFigures> tasks = new ArrayList<>();
        for (JsonNode task : cluster.path("running")) {
            String node = task.path("node").asText();
            List<Integer> gpus = new ArrayList<>();
            task.path("gpus").forEach(g -> gpus.add(g.asInt()));
            Double measured = measured(task, devices, shares);
            double power = 0;
            double energy = 0;
            boolean allPower = !gpus.isEmpty();
            boolean allEnergy = !gpus.isEmpty();
            double peak = 0;
            boolean allPeak = !gpus.isEmpty() && !isMig(task);
            for (int g : gpus) {
                GpuReading r = devices.get(node + "/" + g);
                double share = task.path("gpu").path("kind").asText().equals("SHARED")
                        ? task.path("gpu").path("milli").asDouble() / 1000 / shares.getOrDefault(node + "/" + g, 1.0)
                        : 1.0;
                allPower &= r != null && r.powerWatts() != null;
                allEnergy &= r != null && r.energyJoules() != null;
                allPeak &= r != null && r.peakUtilization() != null;
                if (r != null && r.powerWatts() != null) {
                    power += r.powerWatts() * share;
                }
                if (r != null && r.energyJoules() != null) {
                    energy += r.energyJoules() * share;
                }
                if (r != null && r.peakUtilization() != null) {
                    peak = Math.max(peak, r.peakUtilization());
                }
            }
            tasks.add(new TaskFigures(task.path("job").asText(), task.path("task").asInt(), node,
                    task.path("utilization").asDouble(1.0), measured, allPower ? power : null,
                    allEnergy ? energy : null, measured != null ? "measured" : "declared"));
            if (allPeak && peak < idleUtilization) {
                String team = task.path("team").asText("");
                idle.computeIfAbsent(team.isEmpty() ? "(no team)" : team, t -> new ArrayList<>()).add(new Idle(team,
                        task.path("job").asText(), task.path("task").asInt(), node, gpus, peak,
                        task.path("migratable").asBoolean(false)));
            }
        }
        return new View(unhealthy(snapshot), idle, tasks, unknown);
    }

    public static List<Unhealthy> unhealthy(TelemetrySnapshot snapshot) {
        List<Unhealthy> out = new ArrayList<>();
        for (GpuReading r : snapshot.gpus()) {
            if (r.flaggedXid() != null) {
                out.add(new Unhealthy(r.host(), r.gpu(), "XID " + r.flaggedXid() + " ("
                        + XID_MEANING.getOrDefault(r.flaggedXid(), "a configured XID") + ")"));
            } else if (r.eccDoubleBitErrors() != null && r.eccDoubleBitErrors() > 0) {
                out.add(new Unhealthy(r.host(), r.gpu(), String.format(java.util.Locale.ROOT,
                        "%.0f double-bit ECC error(s) since the driver loaded", r.eccDoubleBitErrors())));
            }
        }
        return out;
    }

    /** The readings of whole GPUs (not MIG instances), by "node/gpu". */
    private static Map<String, GpuReading> devices(TelemetrySnapshot snapshot) {
        Map<String, GpuReading> out = new HashMap<>();
        for (GpuReading r : snapshot.gpus()) {
            if (r.migInstance() == null) {
                out.put(r.host() + "/" + r.gpu(), r);
            }
        }
        return out;
    }

    /** The GPU share of the running tasks on each GPU ("node/gpu"): WHOLE 1, SHARED milli/1000. */
    private static Map<String, Double> sharesPerGpu(JsonNode cluster) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (JsonNode task : cluster.path("running")) {
            String kind = task.path("gpu").path("kind").asText();
            double share = kind.equals("SHARED") ? task.path("gpu").path("milli").asDouble() / 1000 : 1.0;
            if (kind.equals("WHOLE") || kind.equals("SHARED")) {
                task.path("gpus").forEach(g -> out.merge(task.path("node").asText() + "/" + g.asInt(), share,
                        Double::sum));
            }
        }
        return out;
    }

    /** The task's measured utilisation, or null when one of its GPUs did not report (or it is MIG or CPU-only). */
    private static Double measured(JsonNode task, Map<String, GpuReading> devices, Map<String, Double> shares) {
        String kind = task.path("gpu").path("kind").asText();
        if (!kind.equals("WHOLE") && !kind.equals("SHARED") || !task.path("gpus").isArray()
                || task.path("gpus").isEmpty()) {
            return null;
        }
        double sum = 0;
        for (JsonNode g : task.path("gpus")) {
            String key = task.path("node").asText() + "/" + g.asInt();
            GpuReading r = devices.get(key);
            if (r == null || r.utilization() == null || r.utilization().isNaN()) {
                return null;
            }
            // A GPU shared by tasks whose shares add up to less than one does only their work.
            sum += Math.min(1.0, r.utilization() / Math.max(shares.getOrDefault(key, 1.0), 1e-9));
        }
        return sum / task.path("gpus").size();
    }

    private static boolean isMig(JsonNode task) {
        return task.path("gpu").path("kind").asText().equals("MIG");
    }
}
