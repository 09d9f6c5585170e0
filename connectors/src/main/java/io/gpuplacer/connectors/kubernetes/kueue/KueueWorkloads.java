package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.PodDemand;
import io.x_k8s.kueue.v1beta2.Workload;
import io.x_k8s.kueue.v1beta2.workloadspec.PodSets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kueue Workload (v1beta2) as a pending job of the contract: {@code namespace/name}; its tasks are the pods of
 * its pod set that asks for GPUs ({@code count} of them, a gang when more than one), read from the pod template as a
 * pending pod is (requests, GPU models, topology, checkpoint and restart), with the template's annotations and then
 * the Workload's own (gpuplacer.io/earliest-start, deadline, duration-hours); its priority is the one Kueue
 * resolved ({@code spec.priority}, from the WorkloadPriorityClass); its queue the ClusterQueue of its LocalQueue; its
 * topology the level its GPU pod set requires of Kueue's topology-aware scheduling ({@code topologyRequest.required},
 * which Kueue fills from the pod template's {@code kueue.x-k8s.io/podset-required-topology}).
 * Pod sets without GPUs (a launcher, say) go with it unplanned; a Workload whose pod sets ask for GPUs of two shapes
 * does not read (one job of the contract has one shape).
 */
public final class KueueWorkloads {

    private final PendingPods pods;

    public KueueWorkloads(PendingPods pods) {
        this.pods = pods;
    }

    /** The job, or an IllegalArgumentException saying what of the Workload does not read. */
    public ObjectNode job(Workload workload, Map<String, String> localQueues) {
        String namespace = workload.getMetadata().getNamespace();
        String name = workload.getMetadata().getName();
        List<PodSets> sets = workload.getSpec() == null || workload.getSpec().getPodSets() == null ? List.of()
                : workload.getSpec().getPodSets();
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("spec.podSets is empty");
        }
        PodSets shape = null;
        int tasks = 0;
        String shapeKey = null;
        for (PodSets set : sets) {
            Pod pod = pod(set.getTemplate(), namespace, name, Map.of());
            PodDemand demand = PodDemand.of(pod);
            if (demand.kind().equals("NONE")) {
                continue;
            }
            if (shapeKey != null && !shapeKey.equals(demand.shape())) {
                throw new IllegalArgumentException("pod sets " + shape.getName() + " and " + set.getName() + " ask "
                        + "for GPUs of different shapes (" + shapeKey + ", " + demand.shape() + "): one job has one");
            }
            shape = shape == null ? set : shape;
            shapeKey = demand.shape();
            tasks += set.getCount() == null ? 1 : set.getCount();
        }
        if (shape == null) { // no GPUs at all: the first pod set's pods are its tasks
            shape = sets.get(0);
            tasks = shape.getCount() == null ? 1 : shape.getCount();
        }
        Map<String, String> annotations = workload.getMetadata().getAnnotations() == null ? Map.of()
                : workload.getMetadata().getAnnotations();
        ObjectNode job = pods.job(pod(shape.getTemplate(), namespace, name, annotations), Math.max(1, tasks));
        job.put("id", namespace + "/" + name);
        String level = shape.getTopologyRequest() == null ? null : shape.getTopologyRequest().getRequired();
        String topology = level == null ? null : topologyOf(level);
        if (topology != null) { // Kueue's topology-aware scheduling: the level the gang must share
            job.put("topology", topology);
        }
        Integer priority = workload.getSpec().getPriority();
        if (priority != null) {
            job.put("priority", Math.max(1, Math.min(1_000_000, priority)));
        }
        String local = workload.getSpec().getQueueName();
        String queue = local == null ? null : localQueues.get(namespace + "/" + local);
        if (queue != null) {
            job.put("queue", queue);
        } else {
            job.remove("queue");
        }
        return job;
    }

    /**
     * The job its pods will run as in the snapshots (and the ledger), as a running pod's is read: the pod group of its
     * template, else its gpuplacer.io/job annotation, else the Workload's controlling owner (the Job), else its name.
     */
    public String runningJobId(Workload workload) {
        List<PodSets> sets = workload.getSpec() == null || workload.getSpec().getPodSets() == null ? List.of()
                : workload.getSpec().getPodSets();
        List<String> gpu = gpuPodSets(workload);
        PodSets set = sets.stream().filter(s -> gpu.contains(s.getName())).findFirst()
                .orElse(sets.isEmpty() ? null : sets.get(0));
        ObjectMeta template = set == null || set.getTemplate() == null || set.getTemplate().getMetadata() == null
                ? new ObjectMeta() : set.getTemplate().getMetadata();
        Map<String, String> notes = new HashMap<>(template.getAnnotations() == null ? Map.of()
                : template.getAnnotations());
        if (workload.getMetadata().getAnnotations() != null) {
            notes.putAll(workload.getMetadata().getAnnotations());
        }
        return pods.runningJobId(new PodBuilder().withNewMetadata().withNamespace(workload.getMetadata()
                .getNamespace()).withName(workload.getMetadata().getName()).withLabels(template.getLabels())
                .withAnnotations(notes).withOwnerReferences(workload.getMetadata().getOwnerReferences()).endMetadata()
                .build());
    }

    /**
     * The contract's topology for a level of Kueue's topology-aware scheduling (a node label): NODE for the hostname,
     * RACK and BLOCK for the snapshot's rack and block labels; null for any other level (the oracle then plans the
     * gang without it; Kueue still keeps it).
     */
    private String topologyOf(String level) {
        if (level.equals("kubernetes.io/hostname")) {
            return "NODE";
        }
        if (level.equals(pods.settings().rackLabel())) {
            return "RACK";
        }
        return level.equals(pods.settings().blockLabel()) ? "BLOCK" : null;
    }

    /** The names of the Workload's pod sets that ask for GPUs. */
    public static List<String> gpuPodSets(Workload workload) {
        List<String> out = new ArrayList<>();
        if (workload.getSpec() == null || workload.getSpec().getPodSets() == null) {
            return out;
        }
        for (PodSets set : workload.getSpec().getPodSets()) {
            if (!PodDemand.of(pod(set.getTemplate(), "", "", Map.of())).kind().equals("NONE")) {
                out.add(set.getName());
            }
        }
        return out;
    }

    /** The pod set's template as a pod of the Workload's namespace and name, the Workload's annotations on top. */
    private static Pod pod(PodTemplateSpec template, String namespace, String name, Map<String, String> more) {
        ObjectMeta meta = template == null || template.getMetadata() == null ? new ObjectMeta()
                : template.getMetadata();
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of()
                : meta.getAnnotations());
        annotations.putAll(more);
        Map<String, String> labels = new HashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.keySet().removeIf(k -> k.equals("scheduling.x-k8s.io/pod-group")); // the Workload is the gang
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .withSpec(template == null ? null : template.getSpec()).build();
    }

    /** Every Workload of the list that reads, and for the rest why not ({@code namespace/name: reason}). */
    public record Read(List<ObjectNode> jobs, List<String> unread) {
    }

    public Read jobs(List<Workload> workloads, Map<String, String> localQueues) {
        List<ObjectNode> jobs = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        for (Workload w : workloads) {
            try {
                jobs.add(job(w, localQueues));
            } catch (IllegalArgumentException e) {
                unread.add(w.getMetadata().getNamespace() + "/" + w.getMetadata().getName() + ": " + e.getMessage());
            }
        }
        return new Read(List.copyOf(jobs), List.copyOf(unread));
    }
}
