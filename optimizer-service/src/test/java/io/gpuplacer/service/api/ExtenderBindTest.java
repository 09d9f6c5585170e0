package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extender with the API server (fabric8's mock, CRUD mode, the connectors' fixtures): a gang of two whose size
 * comes from its PodGroup, filtered onto its reserved node and bound through the Binding API, a retry after the bind
 * went through answered as bound, and each bind in the audit. The mock stores a Binding without setting the pod's
 * nodeName, so the test sets it, as the API server would.
 */
class ExtenderBindTest {

    private static Pod member(int i) {
        return Serialization.unmarshal("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "duo-%d", "namespace": "nlp", "uid": "uid-duo-%d",
                   "labels": {"scheduling.x-k8s.io/pod-group": "duo"},
                   "annotations": {"gpuplacer.io/topology": "NODE", "gpuplacer.io/preemptible": "true",
                     "gpuplacer.io/duration-hours": "2"}},
                 "spec": {"containers": [{"name": "main", "image": "x",
                   "resources": {"requests": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"}}}]},
                 "status": {"phase": "Pending"}}""".formatted(i, i), Pod.class);
    }

    private static String args(Pod pod, List<String> names) {
        ObjectNode args = TestService.JSON.createObjectNode();
        args.set("Pod", Recommendations.read(Serialization.asJson(pod)));
        args.putNull("Nodes");
        names.forEach(args.putArray("NodeNames")::add);
        return args.toString();
    }

    @Test
    void aGangIsFilteredOntoItsReservationAndBoundThroughTheApiServer() throws Exception {
        KubernetesMockServer server = KubernetesFixtures.server(new KubernetesCrudDispatcher());
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (KubernetesClient admin = server.createClient()) {
            KubernetesFixtures.load(admin, java.util.Set.of("train-1")); // four of gpu-h100-a's GPUs free
            ResourceDefinitionContext podGroups = new ResourceDefinitionContext.Builder()
                    .withGroup("scheduling.x-k8s.io").withVersion("v1alpha1").withKind("PodGroup")
                    .withPlural("podgroups").withNamespaced(true).build();
            admin.genericKubernetesResources(podGroups).inNamespace("nlp").resource(new GenericKubernetesResourceBuilder()
                    .withApiVersion("scheduling.x-k8s.io/v1alpha1").withKind("PodGroup").withNewMetadata()
                    .withName("duo").withNamespace("nlp").endMetadata()
                    .addToAdditionalProperties("spec", Map.of("minMember", 2)).build()).create();
            List<Pod> duo = List.of(member(0), member(1));
            duo.forEach(p -> admin.pods().inNamespace("nlp").resource(p).create());
            try (TestService service = new TestService(db, KubernetesFixtures.properties(server, false))) {
                KubernetesFixtures.awaitNode(service, "gpu-h100-spot");
                List<String> names = new ArrayList<>();
                service.get("/v1/cluster").json().get("nodes").forEach(n -> names.add(n.get("id").asText()));
                String scheduler = service.tokenFor("kube-scheduler", Roles.SCHEDULER);

                List<String> places = new ArrayList<>();
                for (Pod p : duo) {
                    JsonNode result = service.call("POST", "/v1/k8s/extender/filter", args(p, names), scheduler).json();
                    assertThat(result.get("Error").asText()).isEmpty();
                    assertThat(result.get("NodeNames").size()).as(result.toString()).isEqualTo(1);
                    places.add(result.get("NodeNames").get(0).asText());
                }
                // Two tasks of one GPU on one node: gpu-h100-a is the only one with whole GPUs free (the spot node
                // is cordoned and not ready, the A100 is in MIG mode, cpu-1 has none).
                assertThat(places).containsExactly("gpu-h100-a", "gpu-h100-a");

                String bind = "{\"PodName\": \"duo-0\", \"PodNamespace\": \"nlp\", \"PodUID\": \"uid-duo-0\", "
                        + "\"Node\": \"gpu-h100-a\"}";
                JsonNode bound = service.call("POST", "/v1/k8s/extender/bind", bind, scheduler).json();
                assertThat(bound.get("Error").asText()).isEmpty();
                Binding binding = admin.bindings().inNamespace("nlp").withName("duo-0").get();
                assertThat(binding.getTarget().getName()).isEqualTo("gpu-h100-a");
                // (The mock gives stored objects a UID of its own: the UID sent is checked in ApiServerBinderTest.)

                // The API server sets the pod's node; kube-scheduler's retry of the same bind is then answered bound.
                admin.pods().inNamespace("nlp").withName("duo-0").edit(p -> {
                    p.getSpec().setNodeName("gpu-h100-a");
                    return p;
                });
                assertThat(service.call("POST", "/v1/k8s/extender/bind", bind, scheduler).json().get("Error").asText())
                        .isEmpty();
                JsonNode elsewhere = service.call("POST", "/v1/k8s/extender/bind", bind.replace("\"gpu-h100-a\"",
                        "\"gpu-h100-spot\""), scheduler).json();
                assertThat(elsewhere.get("Error").asText()).isEqualTo("pod nlp/duo-0 is bound to gpu-h100-a, not "
                        + "gpu-h100-spot");

                List<String> audit = new ArrayList<>();
                service.get("/v1/audit?limit=10").json().forEach(e -> audit.add(e.get("principal").asText() + " "
                        + e.get("target").asText()));
                assertThat(audit).startsWith("kube-scheduler pod nlp/duo-0 to gpu-h100-spot: refused",
                        "kube-scheduler pod nlp/duo-0 to gpu-h100-a: ALREADY_BOUND",
                        "kube-scheduler pod nlp/duo-0 to gpu-h100-a: BOUND");
            }
        } finally {
            server.destroy();
            TestDatabase.drop(db);
        }
    }
}
