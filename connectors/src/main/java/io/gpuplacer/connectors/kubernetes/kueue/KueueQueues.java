package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuplacer.model.problem.MigCatalogue;
import io.x_k8s.kueue.v1beta2.ClusterQueue;
import io.x_k8s.kueue.v1beta2.Cohort;
import io.x_k8s.kueue.v1beta2.LocalQueue;
import io.x_k8s.kueue.v1beta2.ResourceFlavor;
import io.x_k8s.kueue.v1beta2.clusterqueuespec.Preemption;
import io.x_k8s.kueue.v1beta2.clusterqueuespec.ResourceGroups;
import io.x_k8s.kueue.v1beta2.clusterqueuespec.resourcegroups.Flavors;
import io.x_k8s.kueue.v1beta2.clusterqueuespec.resourcegroups.flavors.Resources;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kueue's ClusterQueues (and Cohorts) as the queues of contract section 9: per ResourceFlavor
 * that resolves to a GPU model, {@code nvidia.com/gpu} and MIG resources ({@code nvidia.com/mig-<profile>}, x its
 * compute slices / 7) become nominal quota, borrowing and lending limits in GPU share; {@code cohortName},
 * {@code fairSharing.weight} and {@code preemption} carry over; LocalQueues map {@code namespace/name} to their
 * ClusterQueue. A flavor resolves to a model when the nodes its {@code nodeLabels} select all have one (a flavor
 * without GPU resources, or whose nodes are of several models or none, is left out with a note, not guessed).
 */
public final class KueueQueues {

    public static final String GPU = "nvidia.com/gpu";
    public static final String MIG_PREFIX = "nvidia.com/mig-";

    /** The queues in the contract's shape, the LocalQueue mapping, and what was left out and why. */
    public record Result(ArrayNode queues, Map<String, String> localQueues, List<String> notes) {
    }

    /** A node as the flavors see it: its labels and its GPU model (null for a node without GPUs). */
    public record NodeLabels(Map<String, String> labels, String gpuModel) {
    }

    private final MigCatalogue mig;

    public KueueQueues(MigCatalogue mig) {
        this.mig = mig;
    }

    public Result map(List<ClusterQueue> clusterQueues, List<ResourceFlavor> flavors, List<LocalQueue> localQueues,
                      List<NodeLabels> nodes) {
        return map(clusterQueues, List.of(), flavors, localQueues, nodes);
    }

    /**
     * The same with Kueue's Cohort objects: the contract's cohorts are flat, so a ClusterQueue's cohort is the root of
     * its cohort's tree ({@code spec.parentName}), and a Cohort's own quota is a queue of its own,
     * {@code cohort:<name>}, that runs nothing and lends all of it to the root cohort.
     */
    public Result map(List<ClusterQueue> clusterQueues, List<Cohort> cohorts, List<ResourceFlavor> flavors,
                      List<LocalQueue> localQueues, List<NodeLabels> nodes) {
        List<String> notes = new ArrayList<>();
        Map<String, String> models = models(flavors, nodes, notes);
        Map<String, String> parents = new HashMap<>();
        for (Cohort c : cohorts) {
            if (c.getSpec() != null && c.getSpec().getParentName() != null && !c.getSpec().getParentName().isBlank()) {
                parents.put(c.getMetadata().getName(), c.getSpec().getParentName());
            }
        }
        ArrayNode queues = JsonNodeFactory.instance.arrayNode();
        java.util.Set<String> flattened = new java.util.TreeSet<>();
        for (ClusterQueue cq : sorted(clusterQueues)) {
            ObjectNode q = queue(cq, models, notes);
            if (q.has("cohort")) {
                String root = root(q.get("cohort").asText(), parents, notes);
                if (!root.equals(q.get("cohort").asText()) && flattened.add(q.get("cohort").asText())) {
                    notes.add("Cohort " + q.get("cohort").asText() + " is within cohort " + root + " (spec.parentName): "
                            + "the contract's cohorts are flat, so its ClusterQueues borrow and lend across all of "
                            + root);
                }
                q.put("cohort", root);
            }
            queues.add(q);
        }
        for (Cohort c : sortedCohorts(cohorts)) {
            ObjectNode own = cohortQuota(c, root(c.getMetadata().getName(), parents, notes), models, notes);
            if (own != null) {
                queues.add(own);
            }
        }
        Map<String, String> local = new TreeMap<>();
        for (LocalQueue lq : localQueues) {
            if (lq.getSpec() != null && lq.getSpec().getClusterQueue() != null) {
                local.put(lq.getMetadata().getNamespace() + "/" + lq.getMetadata().getName(),
                        lq.getSpec().getClusterQueue());
            }
        }
        return new Result(queues, local, List.copyOf(notes));
    }

    /** The root of a cohort's tree; a cycle (Kueue refuses one) ends where it closes, said. */
    private static String root(String cohort, Map<String, String> parents, List<String> notes) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        String at = cohort;
        while (parents.containsKey(at) && seen.add(at)) {
            at = parents.get(at);
        }
        if (seen.contains(at) && parents.containsKey(at)) {
            notes.add("Cohorts " + seen + " form a cycle of spec.parentName: cohort " + at + " is taken as its root");
        }
        return at;
    }

    /** A Cohort's own GPU quota as a queue that only lends it, or null when it has none. */
    private ObjectNode cohortQuota(Cohort cohort, String root, Map<String, String> models, List<String> notes) {
        if (cohort.getSpec() == null || cohort.getSpec().getResourceGroups() == null) {
            return null;
        }
        String id = "cohort:" + cohort.getMetadata().getName();
        Map<String, double[]> byModel = new LinkedHashMap<>();
        for (var group : cohort.getSpec().getResourceGroups()) {
            // The same shape as a ClusterQueue's resource group: read as one.
            ResourceGroups same = JSON.convertValue(group, ResourceGroups.class);
            for (Flavors flavor : same.getFlavors() == null ? List.<Flavors>of() : same.getFlavors()) {
                add(id, flavor, models, byModel, notes);
            }
        }
        if (byModel.isEmpty()) {
            return null;
        }
        ObjectNode q = JsonNodeFactory.instance.objectNode().put("id", id).put("cohort", root);
        ArrayNode quotas = q.putArray("quotas");
        byModel.forEach((model, v) -> quotas.addObject().put("flavor", model).put("nominalGpus", v[0])
                .put("borrowingLimitGpus", 0)); // it runs nothing: all of it is lent
        q.putObject("preemption").put("withinQueue", "Never").put("reclaimWithinCohort", "Never")
                .put("borrowWithinCohort", "Never"); // nothing of its own runs: nothing to preempt for
        return q;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();

    private static List<Cohort> sortedCohorts(List<Cohort> cohorts) {
        List<Cohort> out = new ArrayList<>(cohorts);
        out.sort(java.util.Comparator.comparing(c -> c.getMetadata().getName()));
        return out;
    }

    /** Each flavor's GPU model: that of every node its nodeLabels select, when they agree. */
    private static Map<String, String> models(List<ResourceFlavor> flavors, List<NodeLabels> nodes,
                                              List<String> notes) {
        Map<String, String> out = new HashMap<>();
        for (ResourceFlavor f : flavors) {
            String name = f.getMetadata().getName();
            Map<String, String> selector = f.getSpec() == null || f.getSpec().getNodeLabels() == null ? Map.of()
                    : f.getSpec().getNodeLabels();
            java.util.Set<String> seen = new java.util.TreeSet<>();
            for (NodeLabels n : nodes) {
                if (n.gpuModel() != null && n.labels().entrySet().containsAll(selector.entrySet())) {
                    seen.add(n.gpuModel());
                }
            }
            if (seen.size() == 1) {
                out.put(name, seen.iterator().next());
            } else if (seen.size() > 1) {
                notes.add("ResourceFlavor " + name + " selects nodes of several GPU models " + seen
                        + ": its quota is left out (give it nodeLabels that select one model)");
            }
        }
        return out;
    }

    private ObjectNode queue(ClusterQueue cq, Map<String, String> models, List<String> notes) {
        String id = cq.getMetadata().getName();
        var spec = cq.getSpec();
        ObjectNode q = JsonNodeFactory.instance.objectNode().put("id", id);
        if (spec == null) {
            q.putArray("quotas");
            return q;
        }
        if (spec.getCohortName() != null && !spec.getCohortName().isBlank()) {
            q.put("cohort", spec.getCohortName());
        }
        if (spec.getFairSharing() != null && spec.getFairSharing().getWeight() != null) {
            double weight = amount(spec.getFairSharing().getWeight()).doubleValue();
            if (weight > 0) {
                q.put("fairShareWeight", weight);
            } else {
                notes.add("ClusterQueue " + id + ": fairSharing.weight " + weight + " is taken as 1 (the contract "
                        + "needs more than 0; Kueue's 0 means it borrows only what nobody else wants)");
            }
        }
        Map<String, double[]> byModel = new LinkedHashMap<>(); // nominal, borrowing limit, lending limit (NaN: none)
        for (ResourceGroups group : spec.getResourceGroups() == null ? List.<ResourceGroups>of()
                : spec.getResourceGroups()) {
            for (Flavors flavor : group.getFlavors() == null ? List.<Flavors>of() : group.getFlavors()) {
                add(id, flavor, models, byModel, notes);
            }
        }
        ArrayNode quotas = q.putArray("quotas");
        byModel.forEach((model, v) -> {
            ObjectNode quota = quotas.addObject().put("flavor", model).put("nominalGpus", v[0]);
            if (!Double.isNaN(v[1])) {
                quota.put("borrowingLimitGpus", v[1]);
            }
            if (!Double.isNaN(v[2])) {
                quota.put("lendingLimitGpus", v[2]);
            }
        });
        q.set("preemption", preemption(spec.getPreemption()));
        return q;
    }

    /** The flavor's GPU resources added to its model's quota (two flavors of one model add up). */
    private void add(String queue, Flavors flavor, Map<String, String> models, Map<String, double[]> byModel,
                     List<String> notes) {
        double[] sum = {0, Double.NaN, Double.NaN};
        boolean gpus = false;
        for (Resources r : flavor.getResources() == null ? List.<Resources>of() : flavor.getResources()) {
            double perUnit = share(r.getName());
            if (perUnit == 0) {
                continue; // cpu, memory, and resources that are not GPUs
            }
            gpus = true;
            sum[0] += perUnit * amount(r.getNominalQuota()).doubleValue();
            sum[1] = limit(sum[1], r.getBorrowingLimit(), perUnit);
            sum[2] = limit(sum[2], r.getLendingLimit(), perUnit);
        }
        if (!gpus) {
            return;
        }
        String model = models.get(flavor.getName());
        if (model == null) {
            notes.add("ClusterQueue " + queue + ": ResourceFlavor " + flavor.getName() + " selects no node with "
                    + "GPUs of one model: its GPU quota is left out");
            return;
        }
        byModel.merge(model, sum, (a, b) -> new double[]{a[0] + b[0], plus(a[1], b[1]), plus(a[2], b[2])});
    }

    /** GPU share of one unit of the resource: 1 for nvidia.com/gpu, slices/7 for a MIG profile, else 0. */
    private double share(String resource) {
        if (GPU.equals(resource)) {
            return 1;
        }
        if (resource != null && resource.startsWith(MIG_PREFIX)) {
            int slices = mig.computeSlicesOf(resource.substring(MIG_PREFIX.length()));
            return slices > 0 ? slices / 7.0 : 0;
        }
        return 0;
    }

    private static double limit(double sum, IntOrString value, double perUnit) {
        if (value == null) {
            return sum;
        }
        double v = perUnit * amount(value).doubleValue();
        return Double.isNaN(sum) ? v : sum + v;
    }

    /** A limit that is set on one side only stays unset: the whole is unlimited. */
    private static double plus(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a + b;
    }

    private static ObjectNode preemption(Preemption p) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (p == null) {
            return out;
        }
        if (p.getWithinClusterQueue() != null) {
            // LowerOrNewerEqualPriority is taken as LowerPriority: the contract has no "newer" rule.
            out.put("withinQueue", p.getWithinClusterQueue().getValue().equals("Never") ? "Never" : "LowerPriority");
        }
        if (p.getReclaimWithinCohort() != null) {
            out.put("reclaimWithinCohort", p.getReclaimWithinCohort().getValue());
        }
        if (p.getBorrowWithinCohort() != null && p.getBorrowWithinCohort().getPolicy() != null) {
            out.put("borrowWithinCohort", p.getBorrowWithinCohort().getPolicy().getValue());
        }
        return out;
    }

    static BigDecimal amount(IntOrString value) {
        if (value == null) {
            return BigDecimal.ZERO;
        }
        String text = value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
        return Quantity.getAmountInBytes(new Quantity(text));
    }

    private static List<ClusterQueue> sorted(List<ClusterQueue> queues) {
        List<ClusterQueue> out = new ArrayList<>(queues);
        out.sort(java.util.Comparator.comparing(c -> c.getMetadata().getName()));
        return out;
    }
}
