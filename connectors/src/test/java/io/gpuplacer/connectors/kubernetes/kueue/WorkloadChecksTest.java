package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gpuplacer.connectors.kubernetes.snapshot.ClusterWatcher;
import io.gpuplacer.connectors.kubernetes.snapshot.LiveQueues;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapper;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotMapperTestSettings;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.model.problem.MigCatalogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The carbon-window check's reading and answering on fabric8's mock API server in CRUD mode, once serving Kueue's
 * v1beta2 API and once only v1beta1 (a Kueue release before 0.15): Kueue's documented ClusterQueue and
 * AdmissionCheck shapes (carbon-window.yaml, admin-minimal-cq.yaml), Workloads with and without quota reserved.
 */
class WorkloadChecksTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T01:00:00Z"), ZoneOffset.UTC);


    KubernetesMockServer server;
    KubernetesClient client;
    ClusterWatcher watcher;
    String version;

    private WorkloadChecks start(String version) throws Exception {
        return start(version, null);
    }

    private WorkloadChecks start(String version, String forbidden) throws Exception {
        this.version = version;
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KueueApiServers(version.equals("v1beta1") ? KueueApiServers.V1BETA2 : null, forbidden), false);
        server.init();
        client = server.createClient();
        try (InputStream nodes = getClass().getResourceAsStream("/kubernetes/nodes.json")) {
            Serialization.unmarshal(nodes, NodeList.class).getItems().forEach(n -> client.nodes().resource(n).create());
        }
        create("/kueue/examples/admin-minimal-cq.yaml");
        create("/kueue/examples/carbon-window.yaml");
        SnapshotMapper mapper = new SnapshotMapper(SnapshotMapperTestSettings.SETTINGS, MigCatalogue.bundled(),
                new LiveQueues(SnapshotSettings.Queues.NONE));
        watcher = new ClusterWatcher(client, mapper, CLOCK, Duration.ofMillis(100), r -> { });
        watcher.start(Duration.ofSeconds(20));
        return new ApiServerWorkloadChecks(watcher::kueue, watcher::nodes, mapper.queues(),
                new KueueWorkloads(new PendingPods(SnapshotMapperTestSettings.SETTINGS)), WorkloadChecks.CONTROLLER,
                SnapshotSettings.BLOCK_LABEL, CLOCK);
    }

    /** Kueue's objects of a file, created in the version under test (its status included, as Kueue wrote it). */
    private void create(String resource) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            for (HasMetadata object : client.load(in).items()) {
                ObjectNode tree = Serialization.jsonMapper().valueToTree(object);
                tree.put("apiVersion", "kueue.x-k8s.io/" + version);
                GenericKubernetesResource generic = Serialization.jsonMapper().treeToValue(tree,
                        GenericKubernetesResource.class);
                var api = KueueApi.discover(client).resources(generic.getKind());
                (generic.getMetadata().getNamespace() == null ? api.resource(generic)
                        : api.inNamespace(generic.getMetadata().getNamespace()).resource(generic)).create();
            }
        }
    }

    @AfterEach
    void stop() {
        watcher.close();
        client.close();
        server.destroy();
    }

    private JsonNode stored(String name) {
        return Serialization.jsonMapper().valueToTree(KueueApi.discover(client).resources("Workload")
                .inNamespace("default").withName(name).get());
    }

    private static JsonNode check(JsonNode workload, String name) {
        for (JsonNode c : workload.path("status").path("admissionChecks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + workload.path("status"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1beta2", "v1beta1"})
    void onlyWorkloadsWithQuotaReservedAndOurCheckPendingWait(String version) throws Exception {
        WorkloadChecks checks = start(version);
        assertThat(watcher.kueue().api().version()).isEqualTo(version);
        // sample-prov belongs to the provisioning-request controller: not ours.
        assertThat(checks.checks()).containsExactly("sample-prov-2");
        List<WorkloadChecks.Waiting> waiting = checks.waiting();
        // job-queued has no quota yet; job-ready's check is Ready already.
        assertThat(waiting).extracting(Object::toString).containsExactly("default/job-train-7-a1b2c");
        WorkloadChecks.Waiting w = waiting.get(0);
        assertThat(w.check()).isEqualTo("sample-prov-2");
        assertThat(w.error()).isNull();
        assertThat(w.runningJob()).as("its pods run as the Job's").isEqualTo("default/train-7");
        assertThat(w.reservedAt()).isEqualTo(Instant.parse("2026-12-01T00:10:00Z"));
        assertThat(w.job().get("tasks").asInt()).as("the GPU pod set's count is the gang").isEqualTo(2);
        assertThat(w.job().get("gpu").toString()).isEqualTo("{\"kind\":\"WHOLE\",\"count\":8}");
        assertThat(w.job().get("deadline").asText()).isEqualTo("2026-12-02T06:00:00Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1beta2", "v1beta1"})
    void readyPinsTheGpuPodSetsAndLeavesTheOtherChecks(String version) throws Exception {
        WorkloadChecks checks = start(version);
        WorkloadChecks.Waiting w = checks.waiting().get(0);
        WorkloadChecks.NodePin pin = checks.answer(w, new WorkloadChecks.Answer(WorkloadChecks.State.Ready,
                "admitted now on gpu-h100-a", List.of("gpu-h100-a"), null));
        assertThat(pin.nodeSelector()).isEqualTo(Map.of("kubernetes.io/hostname", "gpu-h100-a"));
        JsonNode stored = stored("job-train-7-a1b2c");
        JsonNode ours = check(stored, "sample-prov-2");
        assertThat(ours.get("state").asText()).isEqualTo("Ready");
        assertThat(ours.get("message").asText()).isEqualTo("admitted now on gpu-h100-a");
        assertThat(ours.get("lastTransitionTime").asText()).isEqualTo("2026-12-01T01:00:00Z");
        assertThat(ours.get("podSetUpdates").toString()).isEqualTo("[{\"name\":\"launcher\"},{\"name\":\"workers\","
                + "\"nodeSelector\":{\"kubernetes.io/hostname\":\"gpu-h100-a\"}}]");
        JsonNode theirs = check(stored, "sample-prov");
        assertThat(theirs.get("state").asText()).isEqualTo("Pending");
        assertThat(theirs.has("podSetUpdates")).isFalse();
        // Once the informer sees it, it waits no more; a second answer on the old view is refused, not written.
        await(() -> checks.waiting().isEmpty());
        assertThatThrownBy(() -> checks.answer(w, new WorkloadChecks.Answer(WorkloadChecks.State.Pending, "later",
                List.of(), null))).isInstanceOf(WorkloadChecks.AnswerException.class).hasMessageContaining("no longer "
                + "Pending (Ready)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1beta2", "v1beta1"})
    void pendingSaysWhyOnceAndRetryCarriesItsDelay(String version) throws Exception {
        WorkloadChecks checks = start(version);
        WorkloadChecks.Waiting w = checks.waiting().get(0);
        checks.answer(w, new WorkloadChecks.Answer(WorkloadChecks.State.Pending, "starts 2026-12-01 03:00Z in SE",
                List.of("gpu-h100-a"), null));
        JsonNode held = check(stored("job-train-7-a1b2c"), "sample-prov-2");
        assertThat(held.get("state").asText()).isEqualTo("Pending");
        assertThat(held.get("message").asText()).isEqualTo("starts 2026-12-01 03:00Z in SE");
        assertThat(held.get("lastTransitionTime").asText()).as("still Pending: no transition")
                .isEqualTo("2026-12-01T00:10:00Z");
        assertThat(held.has("podSetUpdates")).isFalse();
        await(() -> checks.waiting().get(0).message().equals("starts 2026-12-01 03:00Z in SE"));
        String version1 = stored("job-train-7-a1b2c").path("metadata").path("resourceVersion").asText();
        checks.answer(checks.waiting().get(0), new WorkloadChecks.Answer(WorkloadChecks.State.Pending,
                "starts 2026-12-01 03:00Z in SE", List.of(), null));
        assertThat(stored("job-train-7-a1b2c").path("metadata").path("resourceVersion").asText())
                .as("the same message is not written again").isEqualTo(version1);

        checks.answer(checks.waiting().get(0), new WorkloadChecks.Answer(WorkloadChecks.State.Retry,
                "starts 2026-12-01 03:00Z in SE; quota released until then", List.of(), 7200));
        JsonNode retry = check(stored("job-train-7-a1b2c"), "sample-prov-2");
        assertThat(retry.get("state").asText()).isEqualTo("Retry");
        assertThat(retry.get("requeueAfterSeconds").asInt()).isEqualTo(7200);
        assertThat(checks.delayedRetry()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1beta2", "v1beta1"})
    void activeIsWrittenOnlyWhenItChanges(String version) throws Exception {
        WorkloadChecks checks = start(version);
        var api = KueueApi.discover(client).resources("AdmissionCheck");
        checks.activate("sample-prov-2", true, "SignalsFresh", "carbon and price signals fresh");
        JsonNode active = Serialization.jsonMapper().valueToTree(api.withName("sample-prov-2").get());
        JsonNode condition = active.path("status").path("conditions").get(0);
        assertThat(condition.get("type").asText()).isEqualTo("Active");
        assertThat(condition.get("status").asText()).isEqualTo("True");
        assertThat(condition.get("reason").asText()).isEqualTo("SignalsFresh");
        await(() -> !Serialization.jsonMapper().valueToTree(watcher.kueue().admissionChecks().stream()
                .filter(c -> c.getMetadata().getName().equals("sample-prov-2")).findFirst().orElseThrow())
                .path("status").path("conditions").isEmpty());
        String rv = active.path("metadata").path("resourceVersion").asText();
        checks.activate("sample-prov-2", true, "SignalsFresh", "carbon and price signals fresh");
        assertThat(Serialization.jsonMapper().valueToTree(api.withName("sample-prov-2").get()).path("metadata")
                .path("resourceVersion").asText()).isEqualTo(rv);
        checks.activate("sample-prov-2", false, "SignalsStale", "no carbon signal since 2026-12-01T00:00:00Z");
        JsonNode inactive = Serialization.jsonMapper().valueToTree(api.withName("sample-prov-2").get())
                .path("status").path("conditions").get(0);
        assertThat(inactive.get("status").asText()).isEqualTo("False");
        assertThat(inactive.get("message").asText()).contains("no carbon signal");
    }

    @org.junit.jupiter.api.Test
    void aPinOutsideTheAssignedFlavorIsDropped() throws Exception {
        WorkloadChecks checks = start("v1beta2");
        // Kueue assigned the workers flavor default-flavor (H100 nodes); gpu-a100-mig is not one.
        WorkloadChecks.NodePin pin = checks.answer(checks.waiting().get(0), new WorkloadChecks.Answer(
                WorkloadChecks.State.Ready, "admitted now on gpu-a100-mig", List.of("gpu-a100-mig"), null));
        assertThat(pin.nodeSelector()).isEmpty();
        assertThat(pin.scope()).isEqualTo("not pinned: node gpu-a100-mig lacks the assigned flavor's label "
                + "nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 (Kueue's flavor places the pods)");
        JsonNode ours = check(stored("job-train-7-a1b2c"), "sample-prov-2");
        assertThat(ours.get("state").asText()).isEqualTo("Ready");
        assertThat(ours.get("podSetUpdates").toString()).isEqualTo("[{\"name\":\"launcher\"},{\"name\":\"workers\"}]");
    }

    @org.junit.jupiter.api.Test
    void aWorkloadKueuesTopologyAwareSchedulingPlacedIsNotPinned() throws Exception {
        WorkloadChecks checks = start("v1beta2");
        var api = KueueApi.discover(client).resources("Workload").inNamespace("default");
        GenericKubernetesResource w = api.withName("job-train-7-a1b2c").get();
        ObjectNode tree = Serialization.jsonMapper().valueToTree(w);
        ((ObjectNode) tree.path("status").path("admission").path("podSetAssignments").get(1)).putObject(
                "topologyAssignment").putArray("levels").add("kubernetes.io/hostname");
        api.resource(Serialization.jsonMapper().treeToValue(tree, GenericKubernetesResource.class)).updateStatus();
        await(() -> checks.waiting().get(0).toString().equals("default/job-train-7-a1b2c") && !Serialization
                .jsonMapper().valueToTree(watcher.kueue().workload("default", "job-train-7-a1b2c")).path("status")
                .path("admission").path("podSetAssignments").get(1).path("topologyAssignment").isMissingNode());
        WorkloadChecks.NodePin pin = checks.answer(checks.waiting().get(0), new WorkloadChecks.Answer(
                WorkloadChecks.State.Ready, "admitted now on gpu-h100-a", List.of("gpu-h100-a"), null));
        assertThat(pin.scope()).isEqualTo("not pinned: Kueue's topology-aware scheduling assigned its place");
        assertThat(check(stored("job-train-7-a1b2c"), "sample-prov-2").get("podSetUpdates").toString())
                .isEqualTo("[{\"name\":\"launcher\"},{\"name\":\"workers\"}]");
    }

    /**
     * A ClusterRole without Kueue's Workloads (an upgrade that did not apply the new RBAC): the watch goes on with
     * Kueue's queues, the check is off, and why is said. Before, the Workload informer never synced and the whole
     * watch timed out: no snapshot at all.
     */
    @org.junit.jupiter.api.Test
    void workloadsTheServiceMayNotListTurnTheCheckOffNotTheWatch() throws Exception {
        WorkloadChecks checks = start("v1beta2", "/apis/kueue.x-k8s.io/v1beta2/workloads");
        assertThat(watcher.kueue().unreadable()).containsExactly("Workload may not be listed (403): the service "
                + "account's ClusterRole lacks workloads (deploy/kubernetes/base/rbac.yaml)");
        assertThat(checks.checks()).containsExactly("sample-prov-2");
        assertThat(checks.waiting()).isEmpty();
        assertThat(watcher.kueue().workloads()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aGangIsPinnedByWhatItsNodesShare() throws Exception {
        start("v1beta2");
        ApiServerWorkloadChecks checks = new ApiServerWorkloadChecks(watcher::kueue, watcher::nodes,
                new LiveQueues(SnapshotSettings.Queues.NONE), null, WorkloadChecks.CONTROLLER,
                SnapshotSettings.BLOCK_LABEL, CLOCK);
        // gpu-a100-mig and cpu-1 share only the zone us-east-1a.
        WorkloadChecks.NodePin zone = checks.pin(List.of("gpu-a100-mig", "cpu-1"));
        assertThat(zone.nodeSelector()).isEqualTo(Map.of("topology.kubernetes.io/zone", "us-east-1a"));
        assertThat(zone.gangNodes()).containsExactly("gpu-a100-mig", "cpu-1");
        // gpu-h100-a and gpu-h100-spot share neither block nor zone: no selector, the gang's nodes still carried.
        WorkloadChecks.NodePin none = checks.pin(List.of("gpu-h100-a", "gpu-h100-spot"));
        assertThat(none.nodeSelector()).isEmpty();
        assertThat(none.scope()).contains("share no block or zone");
    }
}
