package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;

import static io.gpuplacer.connectors.kubernetes.snapshot.Values.integer;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.labels;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.number;

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

    /**
     * @param pods the pod ({@code namespace/name}) of each running task, by {@link #taskKey}: what a move or an
     *             eviction names
     */
    public record Result(ObjectNode cluster, List<Skipped> skipped, Map<String, String> pods) {
    }

    /** The key of a running task in {@link Result#pods}. */
    public static String taskKey(String job, int task) {
        return job + "#" + task;
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final SnapshotSettings settings;
    private final MigCatalogue mig;
    private final NodeMapping nodeMapping;
    private final LiveQueues queues;

    public SnapshotMapper(SnapshotSettings settings, MigCatalogue mig) {
        this(settings, mig, new LiveQueues(settings.queues()));
    }

    /** With the queues in force read from {@code queues} (Kueue's when the cluster has it). */
    public SnapshotMapper(SnapshotSettings settings, MigCatalogue mig, LiveQueues queues) {
        this.settings = settings;
        this.mig = mig;
        this.nodeMapping = new NodeMapping(settings, mig);
        this.queues = queues;
    }

    /** The GPU model a node's labels name (as its snapshot names it), or null for a node without GPUs. */
    public String gpuModelOf(Node node) {
        String product = labels(node.getMetadata().getLabels()).get(PRODUCT);
        return product == null ? null : settings.gpuModels().getOrDefault(product, product);
    }

    /** The queues this mapper puts in snapshots. */
    public LiveQueues queues() {
        return queues;
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
        SnapshotSettings.Queues inForce = queues.current();
        if (!inForce.definitions().isEmpty()) {
            cluster.set("queues", inForce.definitions().deepCopy());
        }
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
        Map<String, String> podsByTask = new HashMap<>();
        tasksByJob.values().forEach(tasks -> {
            int i = 0;
            for (Map.Entry<String, ObjectNode> e : tasks.entrySet()) {
                e.getValue().put("task", i);
                podsByTask.put(taskKey(e.getValue().get("job").asText(), i), e.getKey());
                i++;
            }
        });
        return new Result(cluster, List.copyOf(skipped), Map.copyOf(podsByTask));
    }

    private ObjectNode task(Pod pod, ObjectNode node, Instant observedAt, DeviceBook devices,
                            Map<String, String> shapes, Map<String, Integer> taskIndex) {
        Map<String, String> notes = labels(pod.getMetadata().getAnnotations());
        PodDemand demand = PodDemand.of(pod);
        // Checked before any GPU is taken for the pod: a pod skipped holds none.
        double utilization = PodFields.utilization(notes);
        String topology = PodFields.topology(notes);
        ObjectNode costs = JsonNodeFactory.instance.objectNode();
        PodFields.restartCosts(notes, costs);
        Instant started = startTime(pod);
        String job = PodFields.runningJob(pod);
        // The tasks of a job share its demand: a pod of the group that asks for another shape is a job of its own.
        String shape = demand.shape();
        String first = shapes.putIfAbsent(job, shape);
        if (first != null && !first.equals(shape)) {
            job = job + "/" + shape;
        }
        int task = taskIndex.merge(job, 1, Integer::sum) - 1;
        ObjectNode t = F.objectNode();
        t.put("job", job).put("task", task).put("node", node.get("id").asText());
        String nodeName = node.get("id").asText();
        int gpuCount = node.get("gpuCount").asInt();
        t.set("gpu", demand.gpu());
        ArrayNode gpus = t.putArray("gpus");
        t.putNull("migStart");
        switch (demand.kind()) {
            case "MIG" -> {
                MigProfile p = mig.profilesOf(node.get("gpuModel").asText()).get(demand.migProfile());
                if (p == null) {
                    throw new IllegalArgumentException("asks for " + MIG_PREFIX + demand.migProfile() + ", which GPU "
                            + "model " + node.get("gpuModel").asText() + " has no profile for");
                }
                int[] at = devices.migPlace(nodeName, p, gpuCount, notes);
                gpus.add(at[0]);
                t.put("migStart", at[1]);
            }
            case "SHARED" -> gpus.add(devices.devices(nodeName, notes, gpuCount, 1, false).get(0));
            case "WHOLE" -> devices.devices(nodeName, notes, gpuCount, demand.count(), true).forEach(gpus::add);
            default -> t.remove("gpus");
        }
        t.put("cpuMillis", demand.cpuMillis()).put("memoryMiB", demand.memoryMiB());
        t.put("priority", PodFields.priority(pod));
        t.put("team", PodFields.team(pod, settings));
        String queue = PodFields.queue(pod, queues.current());
        if (queue != null) {
            t.put("queue", queue);
        }
        t.put("remainingHours", remaining(pod, notes, observedAt));
        t.put("migratable", PodFields.flag(notes, "migratable") && PodFields.hasController(pod));
        t.put("preemptible", PodFields.flag(notes, "preemptible"));
        t.put("utilization", utilization);
        t.put("topology", topology);
        t.setAll(costs);
        if (started != null) {
            t.put("startedAt", started.toString()); // Kueue's victim order: the most recently started first
        }
        return t;
    }

    private NodeMapping nodes() {
        return nodeMapping;
    }

    /** {@code status.startTime}, or null; one that does not read skips the pod. */
    private static Instant startTime(Pod pod) {
        String started = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        try {
            return started == null ? null : Instant.parse(started);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("status.startTime \"" + started + "\" is not an RFC 3339 instant");
        }
    }

    private static double remaining(Pod pod, Map<String, String> notes, Instant observedAt) {
        double total = number(notes.get(ANNOTATION + "duration-hours"), -1, "annotation gpuplacer.io/duration-hours");
        Instant started = startTime(pod);
        if (total < 0) {
            return 24; // documented default: an unannounced pod is taken to run a day more
        }
        double ran = started == null ? 0 : Math.max(0, Duration.between(started, observedAt)
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
}
