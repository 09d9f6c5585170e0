package io.gpuplacer.connectors.kubernetes.snapshot;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Map;

import static io.gpuplacer.connectors.kubernetes.snapshot.Values.labels;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.number;

/** The fields a running task and a pending job read alike from a pod, each with its documented default. */
final class PodFields {

    static final List<String> TOPOLOGIES = List.of("ANY", "NODE", "ISLAND", "RACK", "BLOCK");

    private PodFields() {
    }

    static Map<String, String> notes(Pod pod) {
        return labels(pod.getMetadata().getAnnotations());
    }

    /** Annotation gpuplacer.io/utilization, 0..1, default 1. */
    static double utilization(Map<String, String> notes) {
        double u = number(notes.get(SnapshotMapper.ANNOTATION + "utilization"), 1.0,
                "annotation gpuplacer.io/utilization");
        if (u > 1) {
            throw new IllegalArgumentException("annotation gpuplacer.io/utilization " + u + " is above 1");
        }
        return u;
    }

    /**
     * Annotations gpuplacer.io/checkpoint-minutes and gpuplacer.io/restart-minutes (0..1,000,000, default 0): what
     * an interruption costs, read for pending jobs and running tasks alike (a running task's is what its
     * preemption or move loses). Checked before anything is put.
     */
    static void restartCosts(Map<String, String> notes, com.fasterxml.jackson.databind.node.ObjectNode target) {
        double checkpoint = minutes(notes, "checkpoint-minutes");
        double restart = minutes(notes, "restart-minutes");
        target.put("checkpointMinutes", checkpoint).put("restartMinutes", restart);
    }

    private static double minutes(Map<String, String> notes, String name) {
        double v = number(notes.get(SnapshotMapper.ANNOTATION + name), 0, "annotation gpuplacer.io/" + name);
        if (v > 1_000_000) {
            throw new IllegalArgumentException("annotation gpuplacer.io/" + name + " " + v + " is above 1000000");
        }
        return v;
    }

    /** Annotation gpuplacer.io/topology, default ANY. */
    static String topology(Map<String, String> notes) {
        String topology = notes.getOrDefault(SnapshotMapper.ANNOTATION + "topology", "ANY").strip();
        if (!TOPOLOGIES.contains(topology)) {
            throw new IllegalArgumentException("annotation gpuplacer.io/topology \"" + topology + "\" is not ANY, "
                    + "NODE, ISLAND, RACK or BLOCK");
        }
        return topology;
    }

    /** spec.priority within 1..1,000,000 (0 and below, or none, become 1). */
    static int priority(Pod pod) {
        Integer priority = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return priority == null ? 1 : Math.max(1, Math.min(1_000_000, priority));
    }

    /**
     * The pod's queue (section 9): gpuplacer.io/queue, else its Kueue LocalQueue mapped through the settings;
     * null when it names none the settings know (its team then decides, as for work without a queue).
     */
    static String queue(Pod pod, SnapshotSettings.Queues queues) {
        return queues.of(pod.getMetadata().getNamespace(), labels(pod.getMetadata().getLabels()),
                labels(pod.getMetadata().getAnnotations()));
    }

    /** The team label, else the namespace. */
    static String team(Pod pod, SnapshotSettings settings) {
        return labels(pod.getMetadata().getLabels()).getOrDefault(settings.teamLabel(), pod.getMetadata().getNamespace());
    }

    static boolean flag(Map<String, String> notes, String name) {
        return "true".equals(notes.get(SnapshotMapper.ANNOTATION + name));
    }

    /** The controlling owner's name, else the pod's. */
    /**
     * The job a running pod belongs to in a cluster snapshot: {@code namespace/} its PodGroup, else its
     * {@code gpuplacer.io/job} annotation, else its controlling owner (else itself).
     */
    static String runningJob(Pod pod) {
        Map<String, String> labels = labels(pod.getMetadata().getLabels());
        return pod.getMetadata().getNamespace() + "/" + (labels.containsKey(SnapshotMapper.POD_GROUP)
                ? labels.get(SnapshotMapper.POD_GROUP)
                : notes(pod).getOrDefault(SnapshotMapper.ANNOTATION + "job", controller(pod)));
    }

    static String controller(Pod pod) {
        return pod.getMetadata().getOwnerReferences() == null ? pod.getMetadata().getName()
                : pod.getMetadata().getOwnerReferences().stream().filter(o -> o != null && Boolean.TRUE.equals(o.getController()))
                .map(o -> o.getName()).filter(n -> n != null).findFirst().orElse(pod.getMetadata().getName());
    }

    static boolean hasController(Pod pod) {
        return pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o != null && Boolean.TRUE.equals(o.getController()));
    }
}
