package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;

import static io.gpuplacer.connectors.kubernetes.snapshot.Values.integer;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.labels;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.number;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Nodes and running pods as read from the API server, mapped to a cluster snapshot (interchange section 1): GPU
 * model and count from NVIDIA GPU Feature Discovery, allocatable CPU and memory, zone through the settings, spot
 * from Karpenter's, GKE's or EKS's label, cordoned and unhealthy from the node's spec and Ready condition; running
 * pods with their requests summed over containers. An object that cannot be mapped is skipped with its reason,
 * never a failure of the whole snapshot.
 */
public final class SnapshotMapper {

    public static final String GPU = "nvidia.com/gpu";
    public static final String MIG_PREFIX = "nvidia.com/mig-";
    public static final String PRODUCT = "nvidia.com/gpu.product";
    public static final String GPU_COUNT = "nvidia.com/gpu.count";
    public static final String POD_GROUP = "scheduling.x-k8s.io/pod-group";
    public static final String ANNOTATION = "gpuplacer.io/";

    /** What was left out, and why. */
    public record Skipped(String kind, String name, String reason) {
    }

    public record Result(ObjectNode cluster, List<Skipped> skipped) {
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SnapshotSettings settings;
    private final MigCatalogue mig;
    private final NodeMapping nodeMapping;

    public SnapshotMapper(SnapshotSettings settings, MigCatalogue mig) {
        this.settings = settings;
        this.mig = mig;
        this.nodeMapping = new NodeMapping(settings, mig);
    }

    /** Every node and every pod running on one of them, as observed at {@code observedAt}. */
    public Result map(List<Node> nodes, List<Pod> pods, Instant observedAt) {
        List<Skipped> skipped = new ArrayList<>();
        ObjectNode cluster = F.objectNode();
        cluster.put("observedAt", observedAt.toString());
        Map<String, Double> zones = new LinkedHashMap<>();
        ArrayNode nodeArray = F.arrayNode();
        Map<String, ObjectNode> byName = new HashMap<>();
        for (Node node : sorted(nodes)) {
            String name = node.getMetadata().getName();
            try {
                ObjectNode n = nodes().map(node, zones);
                nodeArray.add(n);
                byName.put(name, n);
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped("Node", name, e.getMessage()));
            }
        }
        ArrayNode zoneArray = cluster.putArray("zones");
        zones.forEach((id, pue) -> zoneArray.addObject().put("id", id).put("pue", pue));
        cluster.set("nodes", nodeArray);
        ArrayNode running = cluster.putArray("running");
        DeviceBook devices = new DeviceBook();
        Map<String, String> shapes = new HashMap<>();
        Map<String, Integer> taskIndex = new HashMap<>();
        Map<String, TreeMap<String, ObjectNode>> tasksByJob = new HashMap<>();
        for (Pod pod : runningPods(pods)) {
            String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            ObjectNode node = byName.get(pod.getSpec().getNodeName());
            if (node == null) {
                skipped.add(new Skipped("Pod", name, "runs on node " + pod.getSpec().getNodeName()
                        + ", which is not in the snapshot"));
                continue;
            }
            try {
                ObjectNode t = task(pod, node, observedAt, devices, shapes, taskIndex);
                running.add(t);
                tasksByJob.computeIfAbsent(t.get("job").asText(), k -> new TreeMap<>()).put(name, t);
            } catch (IllegalArgumentException e) {
                skipped.add(new Skipped("Pod", name, e.getMessage()));
            }
        }
        // A job's tasks are numbered in the order of their pods' names, whatever order they were read in.
        tasksByJob.values().forEach(tasks -> {
            int i = 0;
            for (ObjectNode t : tasks.values()) {
                t.put("task", i++);
            }
        });
        return new Result(cluster, List.copyOf(skipped));
    }

    private ObjectNode task(Pod pod, ObjectNode node, Instant observedAt, DeviceBook devices,
                            Map<String, String> shapes, Map<String, Integer> taskIndex) {
        Map<String, String> labels = labels(pod.getMetadata().getLabels());
        Map<String, String> notes = labels(pod.getMetadata().getAnnotations());
        Map<String, BigDecimal> requests = requests(pod);
        // Checked before any GPU is taken for the pod: a pod skipped holds none.
        double utilization = number(notes.get(ANNOTATION + "utilization"), 1.0, "annotation gpuplacer.io/utilization");
        if (utilization > 1) {
            throw new IllegalArgumentException("annotation gpuplacer.io/utilization " + utilization + " is above 1");
        }
        String topology = notes.getOrDefault(ANNOTATION + "topology", "ANY");
        if (!List.of("ANY", "NODE", "ISLAND", "RACK", "BLOCK").contains(topology)) {
            throw new IllegalArgumentException("annotation gpuplacer.io/topology \"" + topology + "\" is not ANY, NODE, "
                    + "ISLAND, RACK or BLOCK");
        }
        String job = pod.getMetadata().getNamespace() + "/" + (labels.containsKey(POD_GROUP) ? labels.get(POD_GROUP)
                : notes.getOrDefault(ANNOTATION + "job", controller(pod)));
        // The tasks of a job share its demand: a pod of the group that asks for another shape is a job of its own.
        String shape = shape(requests, notes);
        String first = shapes.putIfAbsent(job, shape);
        if (first != null && !first.equals(shape)) {
            job = job + "/" + shape;
        }
        int task = taskIndex.merge(job, 1, Integer::sum) - 1;
        ObjectNode t = F.objectNode();
        t.put("job", job).put("task", task).put("node", node.get("id").asText());
        ObjectNode gpu = t.putObject("gpu");
        String nodeName = node.get("id").asText();
        int gpuCount = node.get("gpuCount").asInt();
        String migProfile = requests.keySet().stream().filter(k -> k.startsWith(MIG_PREFIX)).findFirst().orElse(null);
        ArrayNode gpus = t.putArray("gpus");
        if (migProfile != null) {
            String profile = migProfile.substring(MIG_PREFIX.length());
            MigProfile p = mig.profilesOf(node.get("gpuModel").asText()).get(profile);
            if (p == null) {
                throw new IllegalArgumentException("asks for " + migProfile + ", which GPU model "
                        + node.get("gpuModel").asText() + " has no profile for");
            }
            gpu.put("kind", "MIG").put("profile", profile);
            int[] at = devices.migPlace(nodeName, p, gpuCount, notes);
            gpus.add(at[0]);
            t.put("migStart", at[1]);
        } else if (notes.containsKey(ANNOTATION + "gpu-milli")) {
            int milli = integer(notes.get(ANNOTATION + "gpu-milli"), 1, "annotation gpuplacer.io/gpu-milli");
            if (milli > 1000) {
                throw new IllegalArgumentException("annotation gpuplacer.io/gpu-milli " + milli + " is above 1000");
            }
            gpu.put("kind", "SHARED").put("milli", milli);
            gpus.add(devices.devices(nodeName, notes, gpuCount, 1, false).get(0));
            t.putNull("migStart");
        } else if (requests.containsKey(GPU) && requests.get(GPU).signum() > 0) {
            int count = requests.get(GPU).intValueExact();
            gpu.put("kind", "WHOLE").put("count", count);
            devices.devices(nodeName, notes, gpuCount, count, true).forEach(gpus::add);
            t.putNull("migStart");
        } else {
            gpu.put("kind", "NONE");
            t.remove("gpus");
            t.putNull("migStart");
        }
        t.put("cpuMillis", requests.getOrDefault("cpu", BigDecimal.ZERO).multiply(BigDecimal.valueOf(1000)).longValue())
                .put("memoryMiB", requests.getOrDefault("memory", BigDecimal.ZERO).divide(BigDecimal.valueOf(1 << 20),
                        java.math.RoundingMode.CEILING).longValue());
        Integer priority = pod.getSpec().getPriority();
        t.put("priority", priority == null ? 1 : Math.max(1, Math.min(1_000_000, priority)));
        t.put("team", labels.getOrDefault(settings.teamLabel(), pod.getMetadata().getNamespace()));
        t.put("remainingHours", remaining(pod, notes, observedAt));
        t.put("migratable", "true".equals(notes.get(ANNOTATION + "migratable")) && hasController(pod));
        t.put("preemptible", "true".equals(notes.get(ANNOTATION + "preemptible")));
        t.put("utilization", utilization);
        t.put("topology", topology);
        return t;
    }

    /** What a pod asks for, as a short name: WHOLE:4, SHARED:250, MIG:3g.40gb, NONE. */
    private static String shape(Map<String, BigDecimal> requests, Map<String, String> notes) {
        String profile = requests.keySet().stream().filter(k -> k.startsWith(MIG_PREFIX)).findFirst().orElse(null);
        if (profile != null) {
            return "MIG:" + profile.substring(MIG_PREFIX.length());
        }
        if (notes.containsKey(ANNOTATION + "gpu-milli")) {
            return "SHARED:" + notes.get(ANNOTATION + "gpu-milli").strip();
        }
        BigDecimal gpus = requests.get(GPU);
        return gpus != null && gpus.signum() > 0 ? "WHOLE:" + gpus.toPlainString() : "NONE";
    }

    private NodeMapping nodes() {
        return nodeMapping;
    }

    private static double remaining(Pod pod, Map<String, String> notes, Instant observedAt) {
        double total = number(notes.get(ANNOTATION + "duration-hours"), -1, "annotation gpuplacer.io/duration-hours");
        String started = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        if (total < 0) {
            return 24; // documented default: an unannounced pod is taken to run a day more
        }
        double ran = started == null ? 0 : Math.max(0, Duration.between(Instant.parse(started), observedAt)
                .toSeconds() / 3600.0);
        return Math.max(0.25, total - ran); // still running: at least a quarter of an hour more
    }

    private static List<Pod> runningPods(List<Pod> pods) {
        // Pods whose devices are known first, so that the lowest free GPUs given to the others are really free.
        return pods.stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                        && p.getSpec() != null && p.getSpec().getNodeName() != null)
                .sorted(Comparator.comparing((Pod p) -> !labels(p.getMetadata().getAnnotations())
                                .containsKey(ANNOTATION + "gpus"))
                        .thenComparing(p -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
    }

    private static List<Node> sorted(List<Node> nodes) {
        return nodes.stream().sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList();
    }

    /** Requests summed over the pod's containers (init containers run before, not beside them). */
    private static Map<String, BigDecimal> requests(Pod pod) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getResources() != null && c.getResources().getRequests() != null) {
                c.getResources().getRequests().forEach((k, q) -> out.merge(k, q.getNumericalAmount(), BigDecimal::add));
            }
        }
        return out;
    }

    private static String controller(Pod pod) {
        return pod.getMetadata().getOwnerReferences() == null ? pod.getMetadata().getName()
                : pod.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                .map(o -> o.getName()).findFirst().orElse(pod.getMetadata().getName());
    }

    private static boolean hasController(Pod pod) {
        return pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()));
    }

}
