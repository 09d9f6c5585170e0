package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.MigProfile;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
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

    public SnapshotMapper(SnapshotSettings settings, MigCatalogue mig) {
        this.settings = settings;
        this.mig = mig;
    }

    /** Every node and every pod running on one of them, as observed at {@code observedAt}. */
    public synchronized Result map(List<Node> nodes, List<Pod> pods, Instant observedAt) {
        migUsed.clear();
        shapes.clear();
        List<Skipped> skipped = new ArrayList<>();
        ObjectNode cluster = F.objectNode();
        cluster.put("observedAt", observedAt.toString());
        Map<String, Double> zones = new LinkedHashMap<>();
        ArrayNode nodeArray = F.arrayNode();
        Map<String, ObjectNode> byName = new HashMap<>();
        for (Node node : sorted(nodes)) {
            String name = node.getMetadata().getName();
            try {
                ObjectNode n = node(node, zones);
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
        Map<String, BitSet> heldGpus = new HashMap<>();
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
                ObjectNode t = task(pod, node, observedAt, heldGpus, taskIndex);
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

    private ObjectNode node(Node node, Map<String, Double> zones) {
        Map<String, String> labels = labels(node.getMetadata().getLabels());
        String topologyZone = labels.getOrDefault("topology.kubernetes.io/zone",
                labels.get("failure-domain.beta.kubernetes.io/zone"));
        SnapshotSettings.Zone zone = settings.zoneOf(topologyZone);
        if (zone == null) {
            throw new IllegalArgumentException("zone " + (topologyZone == null ? "(no topology.kubernetes.io/zone "
                    + "label)" : "\"" + topologyZone + "\"") + " is not mapped to a grid zone "
                    + "(gpuplacer.kubernetes.zones)");
        }
        zones.putIfAbsent(zone.id(), zone.pue());
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        String product = labels.get(PRODUCT);
        String gpuModel = product == null ? "" : settings.gpuModels().getOrDefault(product, product);
        boolean mig = allocatable.keySet().stream().anyMatch(k -> k.startsWith(MIG_PREFIX));
        int gpuCount = mig || !allocatable.containsKey(GPU) ? integer(labels.get(GPU_COUNT), 0, "label " + GPU_COUNT)
                : (int) amount(allocatable.get(GPU), 1, "allocatable " + GPU);
        if (mig && mig(gpuModel).isEmpty()) {
            throw new IllegalArgumentException("GPU model \"" + gpuModel + "\" has MIG resources but no MIG profiles "
                    + "in the catalogue");
        }
        String instanceType = labels.get("node.kubernetes.io/instance-type");
        SnapshotSettings.NodeFacts facts = settings.factsOf(instanceType, gpuModel);
        if (facts == null) {
            throw new IllegalArgumentException("no power and price facts for node type \"" + (instanceType != null
                    ? instanceType : gpuModel) + "\" (gpuplacer.kubernetes.node-types)");
        }
        ObjectNode n = F.objectNode();
        n.put("id", node.getMetadata().getName()).put("zone", zone.id());
        putIfPresent(n, "rack", labels.get(settings.rackLabel()));
        putIfPresent(n, "block", labels.get(settings.blockLabel()));
        n.put("gpuModel", gpuModel).put("gpuCount", gpuCount).put("migEnabled", mig)
                .put("cpuMillis", (long) amount(allocatable.get("cpu"), 1000, "allocatable cpu"))
                .put("memoryMiB", (long) amount(allocatable.get("memory"), 1.0 / (1 << 20), "allocatable memory"))
                .put("capacityType", spot(labels) ? "SPOT" : "ON_DEMAND");
        putIfPresent(n, "pool", instanceType);
        n.put("costPerHour", facts.costPerHour()).put("baseWatts", facts.baseWatts())
                .put("gpuBusyWatts", facts.gpuBusyWatts()).put("alwaysOn", facts.alwaysOn())
                .put("healthy", ready(node))
                .put("schedulable", node.getSpec() == null || !Boolean.TRUE.equals(node.getSpec().getUnschedulable()));
        return n;
    }

    private ObjectNode task(Pod pod, ObjectNode node, Instant observedAt, Map<String, BitSet> heldGpus,
                            Map<String, Integer> taskIndex) {
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
        BitSet held = heldGpus.computeIfAbsent(nodeName, k -> new BitSet());
        int gpuCount = node.get("gpuCount").asInt();
        String migProfile = requests.keySet().stream().filter(k -> k.startsWith(MIG_PREFIX)).findFirst().orElse(null);
        ArrayNode gpus = t.putArray("gpus");
        if (migProfile != null) {
            String profile = migProfile.substring(MIG_PREFIX.length());
            MigProfile p = mig(node.get("gpuModel").asText()).get(profile);
            if (p == null) {
                throw new IllegalArgumentException("asks for " + migProfile + ", which GPU model "
                        + node.get("gpuModel").asText() + " has no profile for");
            }
            gpu.put("kind", "MIG").put("profile", profile);
            int[] at = migPlace(nodeName, p, gpuCount, notes);
            gpus.add(at[0]);
            t.put("migStart", at[1]);
        } else if (notes.containsKey(ANNOTATION + "gpu-milli")) {
            int milli = integer(notes.get(ANNOTATION + "gpu-milli"), 1, "annotation gpuplacer.io/gpu-milli");
            if (milli > 1000) {
                throw new IllegalArgumentException("annotation gpuplacer.io/gpu-milli " + milli + " is above 1000");
            }
            gpu.put("kind", "SHARED").put("milli", milli);
            gpus.add(devices(notes, held, gpuCount, 1, false).get(0));
            t.putNull("migStart");
        } else if (requests.containsKey(GPU) && requests.get(GPU).signum() > 0) {
            int count = requests.get(GPU).intValueExact();
            gpu.put("kind", "WHOLE").put("count", count);
            devices(notes, held, gpuCount, count, true).forEach(gpus::add);
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

    /** The GPUs a pod holds: its {@code gpuplacer.io/gpus} annotation where the device plugin's choice is known, else
     * the lowest free indices (the API does not say which devices a container got). */
    private static List<Integer> devices(Map<String, String> notes, BitSet held, int gpuCount, int count,
                                         boolean exclusive) {
        List<Integer> out = new ArrayList<>();
        String given = notes.get(ANNOTATION + "gpus");
        if (given != null) {
            for (String g : given.split(",")) {
                out.add(integer(g.strip(), 0, "annotation gpuplacer.io/gpus"));
            }
            if (out.size() != count || out.stream().anyMatch(g -> g >= gpuCount)) {
                throw new IllegalArgumentException("annotation gpuplacer.io/gpus \"" + given + "\" does not name "
                        + count + " GPU(s) of the node's " + gpuCount);
            }
        } else {
            for (int g = held.nextClearBit(0); out.size() < count && g < gpuCount; g = held.nextClearBit(g + 1)) {
                out.add(g);
            }
            if (out.size() < count) {
                throw new IllegalArgumentException("asks for " + count + " GPU(s) but its node has "
                        + (gpuCount - held.cardinality()) + " not held by other pods");
            }
        }
        if (exclusive) {
            out.forEach(held::set);
        }
        return out;
    }

    private final Map<String, Map<Integer, Integer>> migUsed = new HashMap<>();
    private final Map<String, String> shapes = new HashMap<>();

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

    /** A MIG instance's GPU and memory-slice start: from annotations, else the first free placement. */
    private int[] migPlace(String node, MigProfile p, int gpuCount, Map<String, String> notes) {
        Map<Integer, Integer> used = migUsed.computeIfAbsent(node, k -> new HashMap<>());
        if (notes.containsKey(ANNOTATION + "gpus") && notes.containsKey(ANNOTATION + "mig-start")) {
            int g = integer(notes.get(ANNOTATION + "gpus"), 0, "annotation gpuplacer.io/gpus");
            int start = integer(notes.get(ANNOTATION + "mig-start"), 0, "annotation gpuplacer.io/mig-start");
            used.merge(g, p.memoryMask(start), (a, b) -> a | b);
            return new int[]{g, start};
        }
        for (int g = 0; g < gpuCount; g++) {
            for (int start : p.placementStarts()) {
                int mask = p.memoryMask(start);
                if ((used.getOrDefault(g, 0) & mask) == 0) {
                    used.merge(g, mask, (a, b) -> a | b);
                    return new int[]{g, start};
                }
            }
        }
        throw new IllegalArgumentException("no free placement for MIG profile " + p.name() + " on node " + node);
    }

    private Map<String, MigProfile> mig(String gpuModel) {
        return mig.profilesOf(gpuModel);
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

    private static boolean spot(Map<String, String> labels) {
        return "spot".equalsIgnoreCase(labels.get("karpenter.sh/capacity-type"))
                || "true".equalsIgnoreCase(labels.get("cloud.google.com/gke-spot"))
                || "SPOT".equalsIgnoreCase(labels.get("eks.amazonaws.com/capacityType"));
    }

    private static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    private static double amount(Quantity q, double scale, String what) {
        if (q == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        try {
            return q.getNumericalAmount().doubleValue() * scale;
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " \"" + q + "\" is not a quantity");
        }
    }

    private static int integer(String text, int min, String what) {
        if (text == null) {
            return min;
        }
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(what + " \"" + text + "\" is not a whole number of at least " + min);
    }

    private static double number(String text, double fallback, String what) {
        if (text == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(text.strip());
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(what + " \"" + text + "\" is not a number of at least 0");
    }

    private static Map<String, String> labels(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }
}
