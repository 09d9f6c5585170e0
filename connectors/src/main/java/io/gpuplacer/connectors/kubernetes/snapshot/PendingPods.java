package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static io.gpuplacer.connectors.kubernetes.snapshot.Values.integer;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.labels;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.number;

/**
 * A pod that waits for a place, read as a pending job of the interchange (section 2). A pod of a gang (the
 * coscheduling label {@code scheduling.x-k8s.io/pod-group}, or annotation {@code gpuplacer.io/gang-size} above 1)
 * is one task of the gang's job {@code namespace/group}; any other pod is a job of its own, {@code namespace/name}.
 * Every field but the requests has a documented default, so a pod that names only standard fields (requests,
 * priority, {@code nodeSelector}) reads too. A bad annotation is an {@link IllegalArgumentException} naming it.
 */
public final class PendingPods {

    public static final String GANG_SIZE = SnapshotMapper.ANNOTATION + "gang-size";
    public static final String GPU_MODELS = SnapshotMapper.ANNOTATION + "gpu-models";

    private final SnapshotSettings settings;
    private final LiveQueues queues;

    public PendingPods(SnapshotSettings settings) {
        this(settings, new LiveQueues(settings.queues()));
    }

    /** With the queues in force read from {@code queues} (Kueue's when the cluster has it). */
    /** The snapshot's settings it reads pods with (labels of racks and blocks, node facts). */
    public SnapshotSettings settings() {
        return settings;
    }

    public PendingPods(SnapshotSettings settings, LiveQueues queues) {
        this.settings = settings;
        this.queues = queues;
    }

    /** A pod waiting for a node (gated or not): its queue (null: none), its GPU share, and since when it waits. */
    public record Waiting(String pod, String queue, double gpus, java.time.Instant since) {
    }

    /**
     * The pods of the list that wait for a node (phase Pending, no node yet) as queued demand, with their queue as
     * the contract resolves it (their queue, else the queue named as their team, else none) and their GPU share
     * (WHOLE count, SHARED milli/1000, MIG slices/7); a pod whose demand does not read counts no GPU.
     */
    public List<Waiting> waiting(List<Pod> pods, io.gpuplacer.model.problem.MigCatalogue mig) {
        List<Waiting> out = new java.util.ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || !"Pending".equals(pod.getStatus().getPhase())
                    || pod.getSpec() == null || pod.getSpec().getNodeName() != null) {
                continue;
            }
            String queue = PodFields.queue(pod, queues.current());
            if (queue == null) {
                String team = PodFields.team(pod, settings);
                queue = queues.current().ids().contains(team) ? team : null;
            }
            String created = pod.getMetadata().getCreationTimestamp();
            java.time.Instant since;
            try {
                since = created == null ? null : java.time.Instant.parse(created);
            } catch (java.time.format.DateTimeParseException e) {
                since = null;
            }
            out.add(new Waiting(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), queue,
                    gpuShare(pod, mig), since));
        }
        return out;
    }

    private static double gpuShare(Pod pod, io.gpuplacer.model.problem.MigCatalogue mig) {
        try {
            PodDemand d = PodDemand.of(pod);
            return switch (d.kind()) {
                case "WHOLE" -> d.count();
                case "SHARED" -> d.milli() / 1000.0;
                case "MIG" -> Math.max(0, mig.computeSlicesOf(d.migProfile())) / 7.0;
                default -> 0;
            };
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** Whether the pod is one task of a gang. */
    public boolean inGang(Pod pod) {
        return labels(pod.getMetadata().getLabels()).containsKey(SnapshotMapper.POD_GROUP)
                || declaredGangSize(pod).orElse(1) > 1;
    }

    /** The pod group it belongs to (the coscheduling label), or null. */
    public String podGroup(Pod pod) {
        return labels(pod.getMetadata().getLabels()).get(SnapshotMapper.POD_GROUP);
    }

    /** Annotation gpuplacer.io/gang-size, when the pod has it. */
    public OptionalInt declaredGangSize(Pod pod) {
        String size = PodFields.notes(pod).get(GANG_SIZE);
        return size == null ? OptionalInt.empty() : OptionalInt.of(integer(size, 1, "annotation " + GANG_SIZE));
    }

    /** The pod's controlling owner ({@code namespace/name}), or null for a bare pod. */
    public String controllerOf(Pod pod) {
        return PodFields.hasController(pod) ? pod.getMetadata().getNamespace() + "/" + PodFields.controller(pod) : null;
    }

    /**
     * How many tasks the pod's job has: 1 for a pod of its own; a gang's size from annotation gpuplacer.io/gang-size,
     * else its PodGroup's minMember; neither is an error saying what to add.
     */
    public int tasks(Pod pod, GangSizes sizes) {
        if (!inGang(pod)) {
            return 1;
        }
        OptionalInt declared = declaredGangSize(pod);
        if (declared.isPresent()) {
            return declared.getAsInt();
        }
        String group = podGroup(pod);
        OptionalInt min = group == null ? OptionalInt.empty() : sizes.minMember(pod.getMetadata().getNamespace(), group);
        return min.orElseThrow(() -> new IllegalArgumentException("the size of gang " + jobId(pod) + " is unknown: "
                + "give the pods the annotation " + GANG_SIZE + ", or create its PodGroup with spec.minMember"));
    }

    /**
     * The id a cluster snapshot gives the pod's job once it runs (its PodGroup, job annotation or controller): what
     * the emission ledger's rows name, so what its arrival is recorded under.
     */
    public String runningJobId(Pod pod) {
        return PodFields.runningJob(pod);
    }

    /** The id of the pod's job: its gang's, or its own. */
    public String jobId(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        if (!inGang(pod)) {
            return namespace + "/" + pod.getMetadata().getName();
        }
        String group = podGroup(pod);
        return namespace + "/" + (group != null ? group
                : PodFields.notes(pod).getOrDefault(SnapshotMapper.ANNOTATION + "job", PodFields.controller(pod)));
    }

    /** The pod as a pending job of {@code tasks} tasks (its gang's size, 1 for a pod of its own). */
    public ObjectNode job(Pod pod, int tasks) {
        if (pod.getMetadata() == null || pod.getMetadata().getName() == null
                || pod.getMetadata().getNamespace() == null) {
            throw new IllegalArgumentException("metadata.name and metadata.namespace are required");
        }
        Map<String, String> notes = PodFields.notes(pod);
        bounded(notes);
        PodDemand demand = PodDemand.of(pod);
        ObjectNode job = JsonNodeFactory.instance.objectNode();
        job.put("id", jobId(pod)).put("team", PodFields.team(pod, settings)).put("priority", PodFields.priority(pod))
                .put("tasks", tasks);
        String queue = PodFields.queue(pod, queues.current());
        if (queue != null) {
            job.put("queue", queue);
        }
        job.set("gpu", demand.gpu());
        job.put("cpuMillis", demand.cpuMillis()).put("memoryMiB", demand.memoryMiB());
        ArrayNode models = job.putArray("gpuModels");
        gpuModels(pod, notes).forEach(models::add);
        job.put("topology", PodFields.topology(notes));
        job.put("preemptible", PodFields.flag(notes, "preemptible"));
        PodFields.restartCosts(notes, job);
        double hours = number(notes.get(SnapshotMapper.ANNOTATION + "duration-hours"), settings.defaultHours(),
                "annotation gpuplacer.io/duration-hours");
        if (hours <= 0) {
            throw new IllegalArgumentException("annotation gpuplacer.io/duration-hours must be above 0");
        }
        job.put("durationHours", hours);
        job.put("utilization", PodFields.utilization(notes));
        putInstant(job, "earliestStart", notes, "earliest-start");
        putInstant(job, "deadline", notes, "deadline");
        return job;
    }

    /**
     * Our annotations are short (a list of GPU models, a number, an instant): a longer value is refused once, here,
     * so that no reason or error repeats it (any pod author could otherwise make every filter answer megabytes).
     */
    public static final int MAX_ANNOTATION_CHARS = 1024;

    private static void bounded(Map<String, String> notes) {
        for (Map.Entry<String, String> e : notes.entrySet()) {
            String value = e.getValue();
            if (e.getKey().startsWith(SnapshotMapper.ANNOTATION) && value != null
                    && value.length() > MAX_ANNOTATION_CHARS) {
                String key = e.getKey().length() <= 100 ? e.getKey() : e.getKey().substring(0, 100) + "...";
                throw new IllegalArgumentException("annotation " + key + " has " + value.length() + " characters; at "
                        + "most " + MAX_ANNOTATION_CHARS);
            }
        }
    }

    /** Annotation gpuplacer.io/gpu-models ("H100-80GB,A100-80GB"), else the nodeSelector on the GPU product. */
    private List<String> gpuModels(Pod pod, Map<String, String> notes) {
        String listed = notes.get(GPU_MODELS);
        if (listed != null) {
            return Arrays.stream(listed.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        Map<String, String> selector = pod.getSpec() == null ? Map.of() : labels(pod.getSpec().getNodeSelector());
        String product = selector.get(SnapshotMapper.PRODUCT);
        return product == null ? List.of() : List.of(settings.gpuModels().getOrDefault(product, product));
    }

    private static void putInstant(ObjectNode job, String field, Map<String, String> notes, String annotation) {
        String text = notes.get(SnapshotMapper.ANNOTATION + annotation);
        if (text == null) {
            job.putNull(field);
            return;
        }
        try {
            job.put(field, Instant.parse(text.strip()).toString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("annotation gpuplacer.io/" + annotation + " \"" + text + "\" is not an "
                    + "instant such as 2026-12-01T18:00:00Z");
        }
    }
}
