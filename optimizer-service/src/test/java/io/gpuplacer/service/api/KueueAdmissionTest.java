package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.service.actions.ActionSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The carbon-window admission check end to end on fabric8's mock API server (CRUD mode, Kueue's API in v1beta2 or
 * only v1beta1): Kueue's AdmissionCheck and Workloads with quota reserved in the shapes its documentation shows; the
 * leader's pass run by the test on a clock it moves. A Workload that may wait is held during the dirty hours with the
 * hour and the saving, and made Ready at the clean one with its pods pinned; a gang that must start now is Ready at
 * once, pinned together; one no node can hold is Rejected; stale signals admit at once (fail open); with apply off
 * nothing is written.
 */
class KueueAdmissionTest {

    KubernetesMockServer server;
    KubernetesClient admin;
    TestDatabase.Credentials db;
    String version;
    final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);


    private void cluster(String version) throws Exception {
        this.version = version;
        server = KubernetesFixtures.server(new io.gpuplacer.connectors.kubernetes.kueue.KueueApiServers(
                version.equals("v1beta1") ? io.gpuplacer.connectors.kubernetes.kueue.KueueApiServers.V1BETA2 : null));
        admin = server.createClient();
        db = TestDatabase.fresh();
        KubernetesFixtures.load(admin, java.util.Set.of("train-1")); // four of gpu-h100-a's GPUs free
        create("AdmissionCheck", null, """
                {"metadata": {"name": "carbon-window"}, "spec": {"controllerName": "gpuplacer.io/carbon-window"}}""");
        create("ResourceFlavor", null, """
                {"metadata": {"name": "h100"}, "spec": {"nodeLabels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}}}""");
        create("ClusterQueue", null, """
                {"metadata": {"name": "nlp-cq"}, "spec": {"namespaceSelector": {},
                  "admissionChecksStrategy": {"admissionChecks": [{"name": "carbon-window"}]},
                  "resourceGroups": [{"coveredResources": ["nvidia.com/gpu"], "flavors": [{"name": "h100",
                    "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 32}]}]}]}}""");
        create("LocalQueue", "nlp", """
                {"metadata": {"name": "train", "namespace": "nlp"}, "spec": {"clusterQueue": "nlp-cq"}}""");
        // A 1-hour job due in 10 hours; a gang of two on one node that must start now; one no node can hold.
        workload("shift", 1, 2, "\"gpuplacer.io/duration-hours\": \"1\", \"gpuplacer.io/deadline\": \""
                + hour.plusSeconds(10 * 3600) + "\"", "");
        workload("pair", 2, 1, "", "\"gpuplacer.io/topology\": \"NODE\"");
        workload("huge", 1, 16, "", "");
    }

    private void create(String kind, String namespace, String json) {
        ObjectNode tree = (ObjectNode) Serialization.unmarshal(json, JsonNode.class);
        tree.put("apiVersion", "kueue.x-k8s.io/" + version).put("kind", kind);
        var api = admin.genericKubernetesResources(context(kind));
        GenericKubernetesResource r = Serialization.jsonMapper().convertValue(tree, GenericKubernetesResource.class);
        (namespace == null ? api.resource(r) : api.inNamespace(namespace).resource(r)).create();
    }

    private ResourceDefinitionContext context(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("kueue.x-k8s.io").withVersion(version)
                .withKind(kind).withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s")
                .withNamespaced(kind.equals("Workload") || kind.equals("LocalQueue")).build();
    }

    /** A Workload of LocalQueue nlp/train whose quota Kueue reserved, its check Pending (as Kueue leaves it). */
    private void workload(String name, int count, int gpus, String annotations, String templateAnnotations) {
        create("Workload", "nlp", """
                {"metadata": {"name": "%s", "namespace": "nlp", "uid": "uid-%s", "annotations": {%s},
                   "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "job-%s", "uid": "job-uid-%s",
                     "controller": true}]},
                 "spec": {"queueName": "train", "priority": 100, "podSets": [{"name": "main", "count": %d,
                   "template": {"metadata": {"annotations": {%s}}, "spec": {"restartPolicy": "Never",
                     "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "1",
                       "memory": "1Gi", "nvidia.com/gpu": "%d"}}}]}}}]},
                 "status": {"conditions": [{"type": "QuotaReserved", "status": "True", "reason": "QuotaReserved",
                     "message": "Quota reserved in ClusterQueue nlp-cq", "lastTransitionTime": "%s"}],
                   "admission": {"clusterQueue": "nlp-cq", "podSetAssignments": [{"name": "main", "count": %d,
                     "flavors": {"nvidia.com/gpu": "h100"}}]},
                   "admissionChecks": [{"name": "carbon-window", "state": "Pending", "message": "",
                     "lastTransitionTime": "%s"}]}}""".formatted(name, name, annotations, name, name, count,
                templateAnnotations, gpus, hour, count, hour));
    }

    @AfterEach
    void stop() {
        admin.close();
        server.destroy();
        TestDatabase.drop(db);
    }

    private TestService start(boolean apply, Map<String, Object> more) throws Exception {
        Map<String, Object> props = KubernetesFixtures.properties(server, true);
        props.put("gpuplacer.kubernetes.apply", apply);
        props.put("gpuplacer.kubernetes.gates.tick", "1h"); // the passes are run by the test
        props.put("test.movable-clock", true);
        props.putAll(more);
        TestService service = new TestService(db, props);
        KubernetesFixtures.awaitNode(service, "gpu-h100-a");
        KubernetesFixtures.cleanFromSlot3(service, hour); // DE-LU dirty and dear but for two hours from slot 3
        return service;
    }

    private JsonNode workload(String name) {
        return Serialization.jsonMapper().valueToTree(admin.genericKubernetesResources(context("Workload"))
                .inNamespace("nlp").withName(name).get());
    }

    private JsonNode check(String name) {
        return workload(name).path("status").path("admissionChecks").get(0);
    }

    private static Map<String, JsonNode> actions(TestService service) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : service.get("/v1/actions").json()) {
            if (a.get("kind").asText().equals("ADMIT")) {
                out.putIfAbsent(a.get("target").asText(), a); // newest first
            }
        }
        return out;
    }

    /** The informers see the service's own writes a moment later. */
    private static void await(Predicate<Void> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.test(null)) {
            assertThat(System.currentTimeMillis()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(300);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1beta2", "v1beta1"})
    void heldThroughTheDirtyHoursAndReadyAtTheCleanOne(String version) throws Exception {
        cluster(version);
        try (TestService service = start(true, Map.of())) {
            ActionSchedule schedule = service.context().getBean(ActionSchedule.class);
            MovableClock clock = service.context().getBean(MovableClock.class);
            assertThat(schedule.tick(clock.instant())).isTrue();

            JsonNode shift = check("shift");
            assertThat(shift.get("state").asText()).isEqualTo("Pending");
            String at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(hour.plusSeconds(3 * 3600));
            assertThat(shift.get("message").asText()).startsWith("starts " + at + " in DE-LU: -98% CO2e, -98% "
                    + "energy cost (").contains(" now in DE-LU)");
            assertThat(shift.has("podSetUpdates")).isFalse();
            Map<String, JsonNode> first = actions(service);
            assertThat(first.get("nlp/shift").get("status").asText()).isEqualTo("PLANNED");
            assertThat(Instant.parse(first.get("nlp/shift").get("dueAt").asText())).isEqualTo(hour.plusSeconds(3 * 3600));
            assertThat(first.get("nlp/shift").get("job").asText()).as("the ledger's name for it").isEqualTo("nlp/job-shift");
            // Held by the check, it is a pending job of the emission ledger (what its savings are measured from).
            service.context().getBean(io.gpuplacer.service.ledger.ArrivalRecorder.class).drain();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
                 java.sql.PreparedStatement st = c.prepareStatement("SELECT source, latest_start FROM job_arrival "
                         + "WHERE job = ?")) {
                st.setString(1, "nlp/job-shift");
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("kueue");
                    assertThat(rs.getTimestamp(2).toInstant()).as("its window: due in 10 h, it runs 1 h")
                            .isEqualTo(hour.plusSeconds(9 * 3600));
                }
            }

            JsonNode pair = check("pair");
            assertThat(pair.get("state").asText()).as("no window: it must start now").isEqualTo("Ready");
            assertThat(pair.get("podSetUpdates").toString()).as("the gang pinned together").isEqualTo(
                    "[{\"name\":\"main\",\"nodeSelector\":{\"kubernetes.io/hostname\":\"gpu-h100-a\"}}]");
            assertThat(first.get("nlp/pair").get("status").asText()).isEqualTo("APPLIED");
            assertThat(first.get("nlp/pair").get("reason").asText()).contains("pods pinned: node gpu-h100-a");

            JsonNode huge = check("huge");
            assertThat(huge.get("state").asText()).isEqualTo("Rejected");
            assertThat(huge.get("message").asText()).startsWith("no node can ever hold it: ");

            JsonNode active = Serialization.jsonMapper().valueToTree(admin.genericKubernetesResources(
                    context("AdmissionCheck")).withName("carbon-window").get()).path("status").path("conditions").get(0);
            assertThat(active.get("type").asText() + "=" + active.get("status").asText()).isEqualTo("Active=True");

            // An hour on: still dirty, still held; the same message is not written again.
            await(v -> "starts".regionMatches(0, service.context().getBean(
                    io.gpuplacer.service.kubernetes.KubernetesSnapshots.class).workloadChecks().waiting().get(0)
                    .message(), 0, 6));
            String rv = workload("shift").path("metadata").path("resourceVersion").asText();
            clock.advance(Duration.ofHours(1));
            schedule.tick(clock.instant());
            assertThat(check("shift").get("state").asText()).isEqualTo("Pending");
            assertThat(check("shift").get("message").asText()).startsWith("starts " + at);

            // The clean hour has come: Ready, pinned where the oracle puts it now.
            clock.advance(Duration.ofHours(2));
            schedule.tick(clock.instant());
            JsonNode ready = check("shift");
            assertThat(ready.get("state").asText()).isEqualTo("Ready");
            assertThat(ready.get("message").asText()).startsWith("admitted now on gpu-h100-a: its best place starts now");
            assertThat(ready.get("podSetUpdates").get(0).get("nodeSelector").toString())
                    .isEqualTo("{\"kubernetes.io/hostname\":\"gpu-h100-a\"}");
            JsonNode done = actions(service).get("nlp/shift");
            assertThat(done.get("status").asText()).isEqualTo("APPLIED");
            assertThat(service.get("/v1/actions?status=PLANNED").json()).isEmpty();
            assertThat(rv).isNotEmpty();
        }
    }

    @Test
    void staleSignalsAdmitAtOnceAndSaySo() throws Exception {
        cluster("v1beta2");
        // A carbon source that never answers: its signal is stale from the start.
        Map<String, Object> more = Map.of("gpuplacer.signals.sources", List.of(Map.of("zone", "DE-LU", "signal",
                "carbon", "provider", "electricitymaps", "url", "http://127.0.0.1:9/", "token", "t")),
                "gpuplacer.signals.first-tick", "1d");
        try (TestService service = start(true, more)) {
            ActionSchedule schedule = service.context().getBean(ActionSchedule.class);
            schedule.tick(service.context().getBean(MovableClock.class).instant());
            JsonNode shift = check("shift");
            assertThat(shift.get("state").asText()).isEqualTo("Ready");
            assertThat(shift.get("message").asText()).startsWith("admitted now (fail open): the carbon signal of "
                    + "DE-LU (electricitymaps) has not answered yet");
            assertThat(shift.get("podSetUpdates").toString()).as("nothing decided: nothing pinned")
                    .isEqualTo("[{\"name\":\"main\"}]");
            JsonNode active = Serialization.jsonMapper().valueToTree(admin.genericKubernetesResources(
                    context("AdmissionCheck")).withName("carbon-window").get()).path("status").path("conditions").get(0);
            assertThat(active.get("status").asText()).isEqualTo("False");
            assertThat(active.get("reason").asText()).isEqualTo("SignalsStale");
        }
    }

    @Test
    void retryReleasesTheQuotaUntilTheHour() throws Exception {
        cluster("v1beta2");
        try (TestService service = start(true, Map.of("gpuplacer.kubernetes.kueue.hold", "RETRY"))) {
            MovableClock clock = service.context().getBean(MovableClock.class);
            Instant now = clock.instant();
            service.context().getBean(ActionSchedule.class).tick(now);
            JsonNode shift = check("shift");
            assertThat(shift.get("state").asText()).isEqualTo("Retry");
            assertThat(shift.get("requeueAfterSeconds").asLong()).as("until the clean hour")
                    .isEqualTo(Duration.between(now, hour.plusSeconds(3 * 3600)).getSeconds());
            assertThat(shift.get("message").asText()).endsWith("; quota released until then");
        }
    }

    @Test
    void withApplyOffNothingIsWritten() throws Exception {
        cluster("v1beta2");
        try (TestService service = start(false, Map.of())) {
            ActionSchedule schedule = service.context().getBean(ActionSchedule.class);
            MovableClock clock = service.context().getBean(MovableClock.class);
            schedule.tick(clock.instant());
            schedule.tick(clock.instant());
            for (String name : List.of("shift", "pair", "huge")) {
                assertThat(check(name).get("state").asText()).as(name).isEqualTo("Pending");
                assertThat(check(name).get("message").asText()).as(name).isEmpty();
            }
            Map<String, JsonNode> actions = actions(service);
            assertThat(actions.get("nlp/pair").get("status").asText()).isEqualTo("DRY_RUN");
            assertThat(actions.get("nlp/pair").get("reason").asText()).startsWith("dry-run (gpuplacer.kubernetes.apply "
                    + "is off): would set Ready: admitted now on gpu-h100-a");
            assertThat(actions.get("nlp/shift").get("status").asText()).isEqualTo("PLANNED");
            assertThat(actions.get("nlp/shift").get("reason").asText()).startsWith("dry-run (gpuplacer.kubernetes.apply "
                    + "is off): would hold it: starts ");
            int pairRows = 0;
            for (JsonNode a : service.get("/v1/actions").json()) {
                pairRows += a.get("target").asText().equals("nlp/pair") ? 1 : 0;
            }
            assertThat(pairRows).as("a dry run is not decided again").isEqualTo(1);
            assertThat(Serialization.jsonMapper().valueToTree(admin.genericKubernetesResources(
                    context("AdmissionCheck")).withName("carbon-window").get()).path("status").path("conditions")
                    .isEmpty()).isTrue();
        }
    }
}
