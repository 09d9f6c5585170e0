package io.gpuplacer.service.api;

import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service against fabric8's mock API server with the connectors' wire fixtures (test resources kubernetes/):
 * the server, the fixtures loaded into it, and the service's Kubernetes settings for them.
 */
final class KubernetesFixtures {

    private KubernetesFixtures() {
    }

    static <T> T fixture(String name, Class<T> type) throws Exception {
        try (InputStream in = KubernetesFixtures.class.getResourceAsStream("/kubernetes/" + name)) {
            return Serialization.unmarshal(in, type);
        }
    }

    /** A started mock API server in CRUD mode (over plain HTTP), with the given dispatcher. */
    static KubernetesMockServer server(KubernetesCrudDispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init();
        return server;
    }

    /** The fixture nodes and pods, but the pods named in {@code without}. */
    static void load(KubernetesClient admin, Set<String> without) throws Exception {
        fixture("nodes.json", NodeList.class).getItems().forEach(n -> admin.nodes().resource(n).create());
        for (Pod pod : fixture("pods.json", PodList.class).getItems()) {
            if (!without.contains(pod.getMetadata().getName())) {
                admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
            }
        }
    }

    /** The service's settings for the fixtures: zones, GPU models, node facts (always on or not). */
    static Map<String, Object> properties(KubernetesMockServer server, boolean alwaysOn) {
        Map<String, Object> props = new HashMap<>();
        props.put("gpuplacer.load-example", false);
        props.put("gpuplacer.kubernetes.enabled", true);
        props.put("gpuplacer.kubernetes.master-url", "http://" + server.getHostName() + ":" + server.getPort());
        props.put("gpuplacer.kubernetes.debounce", "200ms");
        props.put("gpuplacer.kubernetes.zones", List.of(
                Map.of("topology-zone", "eu-central-1a", "zone", "DE-LU", "pue", 1.2),
                Map.of("topology-zone", "eu-central-1b", "zone", "DE-LU", "pue", 1.2),
                Map.of("topology-zone", "us-east-1a", "zone", "US-MIDA-PJM", "pue", 1.3)));
        props.put("gpuplacer.kubernetes.gpu-models", List.of(
                Map.of("product", "NVIDIA-H100-80GB-HBM3", "model", "H100-80GB"),
                Map.of("product", "NVIDIA-A100-SXM4-80GB", "model", "A100-80GB")));
        props.put("gpuplacer.kubernetes.node-types", List.of(Map.of("type", "*", "cost-per-hour", 4,
                "base-watts", 500, "gpu-busy-watts", 350, "always-on", alwaysOn)));
        return props;
    }

    /**
     * Signals in which DE-LU and US-MIDA-PJM are dirty and dear (800 g/kWh, 300 USD/MWh) but for two hours from slot 3
     * after {@code hour} (20 g/kWh, 5 USD/MWh), put in force.
     */
    static void cleanFromSlot3(TestService service, java.time.Instant hour) {
        com.fasterxml.jackson.databind.node.ObjectNode signals = TestService.JSON.createObjectNode();
        for (String zone : List.of("DE-LU", "US-MIDA-PJM")) {
            com.fasterxml.jackson.databind.node.ObjectNode z = signals.with("zones").putObject(zone);
            com.fasterxml.jackson.databind.node.ArrayNode carbon = z.putArray("carbon");
            com.fasterxml.jackson.databind.node.ArrayNode price = z.putArray("price");
            int[][] points = {{-24, 800, 300}, {3, 20, 5}, {5, 800, 300}};
            for (int[] p : points) {
                carbon.addObject().put("at", hour.plusSeconds(3600L * p[0]).toString()).put("gPerKWh", p[1]);
                price.addObject().put("at", hour.plusSeconds(3600L * p[0]).toString()).put("usdPerMWh", p[2]);
            }
        }
        assertThat(service.put("/v1/signals", signals.toString()).status()).isEqualTo(200);
    }

    /** Waits until the cluster in force (from the watcher's snapshot) has the node. */
    static void awaitNode(TestService service, String node) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!service.get("/v1/cluster").json().path("nodes").toString().contains("\"" + node + "\"")) {
            assertThat(System.currentTimeMillis()).as("node " + node + " in the cluster").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
