package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service reading its cluster from fabric8's mock API server (CRUD mode) with the connectors' wire fixtures:
 * the leader puts each snapshot in force as a PUT by "kubernetes" would, and the ledger records them.
 */
class KubernetesSnapshotTest {

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
        KubernetesMockServer server = KubernetesFixtures.server(new KubernetesCrudDispatcher());
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (KubernetesClient admin = server.createClient()) {
            KubernetesFixtures.load(admin, java.util.Set.of());
            Map<String, Object> props = KubernetesFixtures.properties(server, true);
            props.put("gpuplacer.kubernetes.node-types", List.of(
                    Map.of("type", "p5.48xlarge", "cost-per-hour", 98.32, "base-watts", 1800, "gpu-busy-watts", 630),
                    Map.of("type", "*", "cost-per-hour", 4, "base-watts", 500, "gpu-busy-watts", 350,
                            "always-on", true)));
            try (TestService service = new TestService(db, props)) {
                JsonNode cluster = await(service, c -> c.get("nodes").size() == 4);
                assertThat(cluster.get("running")).hasSize(6);
                assertThat(cluster.get("observedAt").asText()).isNotBlank();
                JsonNode versions = service.get("/v1/state/versions?kind=cluster").json();
                assertThat(versions.get(0).get("createdBy").asText()).isEqualTo("kubernetes");
                assertThat(service.get("/prometheus").text()).contains("gpuplacer_kubernetes_skipped_objects 3.0");

                // The ledger keeps whole seconds: a second snapshot within the first one's second would make an
                // interval of no length (its work is counted from the next snapshot on).
                Thread.sleep(1_100);
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
