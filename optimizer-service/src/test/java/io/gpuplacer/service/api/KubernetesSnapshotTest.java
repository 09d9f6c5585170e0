package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service reading its cluster from fabric8's mock API server (CRUD mode) with the connectors' wire fixtures:
 * the leader puts each snapshot in force as a PUT by "kubernetes" would, and the ledger records them.
 */
class KubernetesSnapshotTest {

    private static <T> T fixture(String name, Class<T> type) throws Exception {
        try (InputStream in = KubernetesSnapshotTest.class.getResourceAsStream("/kubernetes/" + name)) {
            return Serialization.unmarshal(in, type);
        }
    }

    private static JsonNode await(TestService service, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode cluster = service.get("/v1/cluster").json();
            if (done.test(cluster)) {
                return cluster;
            }
            assertThat(System.currentTimeMillis()).as(cluster.toString()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void theLeaderPutsEachSnapshotInForceAndTheLedgerRecordsIt() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (KubernetesClient admin = server.createClient()) {
            fixture("nodes.json", NodeList.class).getItems().forEach(n -> admin.nodes().resource(n).create());
            for (Pod pod : fixture("pods.json", PodList.class).getItems()) {
                admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
            }
            Map<String, Object> props = new HashMap<>();
            props.put("gpuplacer.kubernetes.enabled", true);
            props.put("gpuplacer.kubernetes.master-url", "http://" + server.getHostName() + ":" + server.getPort());
            props.put("gpuplacer.kubernetes.debounce", "200ms");
            props.put("gpuplacer.kubernetes.zones", List.of(
                    Map.of("topology-zone", "eu-central-1a", "zone", "DE-LU", "pue", 1.2),
                    Map.of("topology-zone", "eu-central-1b", "zone", "DE-LU", "pue", 1.2),
                    Map.of("topology-zone", "us-east-1a", "zone", "US-MIDA-PJM", "pue", 1.3)));
            props.put("gpuplacer.kubernetes.node-types", List.of(
                    Map.of("type", "p5.48xlarge", "cost-per-hour", 98.32, "base-watts", 1800, "gpu-busy-watts", 630),
                    Map.of("type", "*", "cost-per-hour", 4, "base-watts", 500, "gpu-busy-watts", 350,
                            "always-on", true)));
            props.put("gpuplacer.kubernetes.gpu-models", List.of(
                    Map.of("product", "NVIDIA-H100-80GB-HBM3", "model", "H100-80GB"),
                    Map.of("product", "NVIDIA-A100-SXM4-80GB", "model", "A100-80GB")));
            try (TestService service = new TestService(db, props)) {
                JsonNode cluster = await(service, c -> c.get("nodes").size() == 4);
                assertThat(cluster.get("running")).hasSize(6);
                assertThat(cluster.get("observedAt").asText()).isNotBlank();
                JsonNode versions = service.get("/v1/state/versions?kind=cluster").json();
                assertThat(versions.get(0).get("createdBy").asText()).isEqualTo("kubernetes");
                assertThat(service.get("/prometheus").text()).contains("gpuplacer_kubernetes_skipped_objects 3.0");

                admin.pods().inNamespace("data").withName("etl").delete();
                await(service, c -> c.get("running").size() == 5);
                // Two snapshots or more: the ledger has the interval between them.
                java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
                JsonNode report = service.get("/v1/reports/emissions?from=" + now.minusSeconds(3600) + "&to="
                        + now.plusSeconds(7200)).json();
                assertThat(report.get("totals").get("energyKWh").asDouble()).isPositive();
            }
        } finally {
            server.destroy();
            TestDatabase.drop(db);
        }
    }
}
