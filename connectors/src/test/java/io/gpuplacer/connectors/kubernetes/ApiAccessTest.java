package io.gpuplacer.connectors.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.gpuplacer.connectors.kubernetes.eviction.ApiServerEvictions;
import io.gpuplacer.connectors.kubernetes.extender.ApiServerBinder;
import io.gpuplacer.connectors.kubernetes.gates.ApiServerGates;
import io.gpuplacer.connectors.kubernetes.snapshot.ClusterWatcher;
import io.gpuplacer.connectors.kubernetes.snapshot.GangSizes;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.PodGroupSizes;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.model.problem.MigCatalogue;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every adapter does its work against fabric8's mock API server; every request it made is read back as an RBAC
 * (group, resource, verb) and must be allowed by {@link ApiAccess}, and every verb of the list must have been used:
 * the list (and the ClusterRole checked against it) is exactly what the code needs.
 */
@EnableKubernetesMockClient(crud = true)
class ApiAccessTest {

    KubernetesClient client;
    KubernetesMockServer server;

    private static final SnapshotSettings SETTINGS = new SnapshotSettings(Map.of(), SnapshotSettings.RACK_LABEL,
            SnapshotSettings.BLOCK_LABEL, Map.of(), Map.of(), SnapshotSettings.TEAM_LABEL, 24);

    @Test
    void theAdaptersAskForExactlyWhatTheListAllows() throws Exception {
        client.nodes().resource(Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "gpu-a"}, "status": {"allocatable":
                 {"nvidia.com/gpu": "8", "cpu": "96", "memory": "1Ti"}}}""", Node.class)).create();
        for (String name : List.of("held", "running")) {
            client.pods().inNamespace("nlp").resource(Serialization.unmarshal("""
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "nlp"},
                     "spec": {"schedulingGates": [{"name": "gpuplacer.io/placement"}],
                       "containers": [{"name": "c", "image": "x", "resources": {"requests": {"nvidia.com/gpu": "1"}}}]}}
                    """.formatted(name), Pod.class)).create();
        }
        client.genericKubernetesResources(new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                        .withGroup("scheduling.x-k8s.io").withVersion("v1alpha1").withKind("PodGroup")
                        .withPlural("podgroups").withNamespaced(true).build()).inNamespace("nlp")
                .resource(Serialization.unmarshal("""
                        {"apiVersion": "scheduling.x-k8s.io/v1alpha1", "kind": "PodGroup",
                         "metadata": {"name": "gang", "namespace": "nlp"}, "spec": {"minMember": 2}}""",
                        GenericKubernetesResource.class)).create();
        var kueue = io.gpuplacer.connectors.kubernetes.kueue.KueueApi.discover(client);
        kueue.resources("AdmissionCheck").resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "AdmissionCheck", "metadata": {"name": "carbon"},
                 "spec": {"controllerName": "gpuplacer.io/carbon-window"}}""", GenericKubernetesResource.class)).create();
        kueue.resources("Workload").inNamespace("nlp").resource(Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Workload", "metadata": {"name": "w", "namespace": "nlp"},
                 "spec": {"podSets": [{"name": "main", "count": 1, "template": {"spec": {"containers": [{"name": "c",
                   "image": "x", "resources": {"requests": {"nvidia.com/gpu": "1"}}}]}}}]},
                 "status": {"conditions": [{"type": "QuotaReserved", "status": "True", "reason": "QuotaReserved",
                   "message": "", "lastTransitionTime": "2026-12-01T00:00:00Z"}],
                   "admissionChecks": [{"name": "carbon", "state": "Pending", "message": "",
                     "lastTransitionTime": "2026-12-01T00:00:00Z"}]}}""", GenericKubernetesResource.class)).create();
        drain(); // the set-up's own requests are not the code's

        SnapshotMapper mapper = new SnapshotMapper(SETTINGS, MigCatalogue.bundled());
        try (ClusterWatcher watcher = new ClusterWatcher(client, mapper, Clock.systemUTC(), Duration.ofMillis(100),
                snapshot -> { })) {
            watcher.start(Duration.ofSeconds(20));
            var checks = new io.gpuplacer.connectors.kubernetes.kueue.ApiServerWorkloadChecks(watcher::kueue,
                    watcher::nodes, mapper.queues(), new io.gpuplacer.connectors.kubernetes.kueue.KueueWorkloads(
                    new PendingPods(SETTINGS)), "gpuplacer.io/carbon-window", SnapshotSettings.BLOCK_LABEL,
                    Clock.systemUTC());
            checks.activate("carbon", true, "SignalsFresh", "fresh");
            checks.answer(checks.waiting().get(0), new io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks.Answer(
                    io.gpuplacer.connectors.kubernetes.kueue.WorkloadChecks.State.Ready, "now", List.of("gpu-a"), null));
        }
        new PodGroupSizes(client).minMember("nlp", "gang");
        new ApiServerGates(client, List::of, new PendingPods(SETTINGS), GangSizes.NONE)
                .release("nlp", "held", "gpu-a", List.of("gpu-a"));
        try {
            new ApiServerEvictions(client).evict("nlp", "running");
        } catch (Exception e) {
            // the mock's answer to an eviction does not matter: the request was made
        }
        try {
            new ApiServerBinder(client).bind("nlp", "running", "uid-1", "gpu-a");
        } catch (Exception e) {
            // likewise
        }

        Set<String> used = new TreeSet<>();
        List<String> refused = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS); r != null;
             r = server.takeRequest(200, TimeUnit.MILLISECONDS)) {
            String access = access(r.getMethod(), r.getPath());
            used.add(access);
            if (!allowed(access)) {
                refused.add(r.getMethod() + " " + r.getPath() + " (" + access + ")");
            }
        }
        assertThat(refused).as("requests no rule of ApiAccess allows").isEmpty();
        Set<String> listed = new TreeSet<>();
        ApiAccess.RULES.forEach(rule -> rule.verbs().forEach(verb -> listed.add(rule.apiGroup() + "/"
                + rule.resource() + ":" + verb)));
        assertThat(used).as("verbs the adapters used").containsAll(listed.stream()
                .filter(v -> !v.equals("/pods:get")).toList()); // get: a bind or eviction reading back; see below
        assertThat(used).contains("/pods:get");
    }

    private void drain() throws InterruptedException {
        while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
            // dropped
        }
    }

    private static boolean allowed(String access) {
        return ApiAccess.RULES.stream().anyMatch(rule -> rule.verbs().stream().anyMatch(verb -> access.equals(
                rule.apiGroup() + "/" + rule.resource() + ":" + verb)));
    }

    /** A request as RBAC sees it: {@code group/resource[/subresource]:verb}. */
    static String access(String method, String path) {
        URI uri = URI.create(path);
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        List<String> parts = new ArrayList<>(List.of(uri.getPath().replaceFirst("^/", "").split("/")));
        String group;
        if (parts.get(0).equals("api")) {
            group = "";
            parts = parts.subList(2, parts.size()); // api/v1
        } else {
            group = parts.get(1);
            parts = parts.subList(3, parts.size()); // apis/group/version
        }
        if (parts.size() >= 2 && parts.get(0).equals("namespaces")) {
            parts = parts.subList(2, parts.size());
        }
        String resource = parts.get(0) + (parts.size() > 2 ? "/" + parts.get(2) : "");
        boolean named = parts.size() > 1;
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PATCH" -> "patch";
            case "PUT" -> "update";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return group + "/" + resource + ":" + verb;
    }
}
