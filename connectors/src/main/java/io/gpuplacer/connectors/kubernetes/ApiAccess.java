package io.gpuplacer.connectors.kubernetes;

import java.util.List;

/**
 * What the service asks of the Kubernetes API server, as RBAC rules: the one list the deployment's ClusterRole
 * ({@code deploy/kubernetes/rbac.yaml}) is checked against, and that {@code ApiAccessTest} checks the adapters'
 * requests against (every request allowed by a rule, every rule's verb used). Leadership is kept in the database,
 * so no Lease is needed; the webhook and the extender are called by Kubernetes, not the other way.
 */
public final class ApiAccess {

    /** One RBAC rule: an API group ({@code ""} the core group), a resource (or {@code resource/subresource}). */
    public record Rule(String apiGroup, String resource, List<String> verbs, String why) {
    }

    public static final List<Rule> RULES = List.of(
            new Rule("", "nodes", List.of("list", "watch"),
                    "the cluster snapshot: the nodes' informer (snapshot.ClusterWatcher)"),
            new Rule("", "pods", List.of("get", "list", "watch", "patch"),
                    "the snapshot's pods' informer; the gate's release reads the pod and patches it (node affinity "
                            + "set, gate removed: gates.ApiServerGates); bind and eviction read a pod back"),
            new Rule("", "pods/eviction", List.of("create"),
                    "moves through the Eviction API, which honours PodDisruptionBudgets; never a delete "
                            + "(eviction.ApiServerEvictions)"),
            new Rule("", "bindings", List.of("create"),
                    "the extender's bind, when kube-scheduler's configuration names bindVerb (extender.ApiServerBinder)"),
            new Rule("policy", "poddisruptionbudgets", List.of("list", "watch"),
                    "budgets known before an eviction is asked for: the budgets' informer (snapshot.ClusterWatcher)"),
            new Rule("scheduling.x-k8s.io", "podgroups", List.of("get"),
                    "gang sizes from the coscheduling plugin's PodGroups (snapshot.PodGroupSizes)"),
            new Rule("kueue.x-k8s.io", "clusterqueues", List.of("list", "watch"),
                    "Kueue's ClusterQueues as the snapshot's queues, where Kueue runs (kueue.KueueInformers)"),
            new Rule("kueue.x-k8s.io", "cohorts", List.of("list", "watch"),
                    "Kueue's Cohorts: the root of a ClusterQueue's cohort, and a cohort's own quota (kueue.KueueInformers)"),
            new Rule("kueue.x-k8s.io", "resourceflavors", List.of("list", "watch"),
                    "the flavors of Kueue's quotas, resolved to GPU models (kueue.KueueInformers)"),
            new Rule("kueue.x-k8s.io", "localqueues", List.of("list", "watch"),
                    "pods naming a LocalQueue (kueue.x-k8s.io/queue-name) mapped to its ClusterQueue "
                            + "(kueue.KueueInformers)"),
            new Rule("kueue.x-k8s.io", "workloads", List.of("list", "watch"),
                    "Kueue Workloads waiting for the carbon-window admission check (kueue.ApiServerWorkloadChecks)"),
            new Rule("kueue.x-k8s.io", "workloads/status", List.of("update"),
                    "the check's state, message and podSetUpdates on a Workload (kueue.ApiServerWorkloadChecks)"),
            new Rule("kueue.x-k8s.io", "admissionchecks", List.of("list", "watch"),
                    "the AdmissionChecks whose controllerName is the service's (kueue.ApiServerWorkloadChecks)"),
            new Rule("kueue.x-k8s.io", "admissionchecks/status", List.of("update"),
                    "their Active condition, True while the signals are fresh (kueue.ApiServerWorkloadChecks)"));

    private ApiAccess() {
    }
}
