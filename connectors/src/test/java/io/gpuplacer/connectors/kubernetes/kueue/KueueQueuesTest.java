package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.MigCatalogue;
import io.gpuplacer.model.problem.Queue;
import io.x_k8s.kueue.v1beta2.ClusterQueue;
import io.x_k8s.kueue.v1beta2.LocalQueue;
import io.x_k8s.kueue.v1beta2.ResourceFlavor;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Kueue's ClusterQueues, ResourceFlavors and LocalQueues (v1beta2, read into the classes generated from Kueue's
 * CRDs) as the queues of contract section 9, on Kueue's own documented examples and one written in their shapes.
 */
class KueueQueuesTest {

    /** The objects of a multi-document YAML file of the test resources, by kind. */
    private record Objects(List<ClusterQueue> queues, List<ResourceFlavor> flavors, List<LocalQueue> local) {
        static Objects read(String name) throws Exception {
            String text;
            try (InputStream in = KueueQueuesTest.class.getResourceAsStream("/kueue/examples/" + name)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Objects out = new Objects(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (String doc : text.split("(?m)^---\\s*$")) {
                if (doc.contains("kind: ClusterQueue")) {
                    out.queues.add(Serialization.unmarshal(doc, ClusterQueue.class));
                } else if (doc.contains("kind: ResourceFlavor")) {
                    out.flavors.add(Serialization.unmarshal(doc, ResourceFlavor.class));
                } else if (doc.contains("kind: LocalQueue")) {
                    out.local.add(Serialization.unmarshal(doc, LocalQueue.class));
                }
            }
            return out;
        }

        KueueQueues.Result map(List<KueueQueues.NodeLabels> nodes) {
            return new KueueQueues(MigCatalogue.bundled()).map(queues, flavors, local, nodes);
        }
    }

    private static KueueQueues.NodeLabels node(String model, String... labels) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return new KueueQueues.NodeLabels(map, model);
    }

    private static List<Queue> read(KueueQueues.Result result) throws Exception {
        JsonNode doc = new ObjectMapper().createObjectNode().set("queues", result.queues());
        return ProblemReader.readQueues(doc, "kueue");
    }

    @Test
    void kueuesTopologyAwareGpuExampleBecomesAQueueOfItsFlavorsModel() throws Exception {
        KueueQueues.Result result = Objects.read("tas-sample-gpu-queues.yaml").map(List.of(
                node("H100-80GB", "cloud.provider.com/node-group", "tas-group", "kubernetes.io/hostname", "a"),
                node("H100-80GB", "cloud.provider.com/node-group", "tas-group", "kubernetes.io/hostname", "b"),
                node("L4", "cloud.provider.com/node-group", "inference")));
        assertThat(result.queues().toString()).isEqualTo("[{\"id\":\"tas-cluster-queue\",\"quotas\":[{\"flavor\":"
                + "\"H100-80GB\",\"nominalGpus\":16.0}],\"preemption\":{\"withinQueue\":\"Never\","
                + "\"reclaimWithinCohort\":\"Never\",\"borrowWithinCohort\":\"Never\"}}]");
        assertThat(result.localQueues()).containsExactly(Map.entry("default/tas-user-queue", "tas-cluster-queue"));
        assertThat(result.notes()).isEmpty();
        assertThat(read(result)).singleElement().satisfies(q -> {
            assertThat(q.quota("H100-80GB").nominal()).isEqualTo(16);
            assertThat(q.cohort()).isNull();
        });
    }

    @Test
    void aQueueOfCpuAndMemoryOnlyHasNoGpuQuota() throws Exception {
        KueueQueues.Result result = Objects.read("admin-single-clusterqueue-setup.yaml")
                .map(List.of(node("H100-80GB")));
        assertThat(result.queues().get(0).get("id").asText()).isEqualTo("cluster-queue");
        assertThat(result.queues().get(0).get("quotas")).isEmpty(); // Kueue would admit no GPU work there either
        assertThat(result.notes()).isEmpty();
    }

    @Test
    void cohortWeightLimitsMigAndPreemptionCarryOverAndAnUnresolvableFlavorIsNamed() throws Exception {
        KueueQueues.Result result = Objects.read("research-cohort.yaml").map(List.of(
                node("H100-80GB", "nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"),
                node("A100-80GB", "pool", "mig"),
                node("L4"), node(null, "pool", "mig"))); // a CPU node matches no GPU flavor
        List<Queue> queues = read(result);
        Queue nlp = queues.stream().filter(q -> q.id().equals("nlp")).findFirst().orElseThrow();
        assertThat(nlp.cohort()).isEqualTo("research");
        assertThat(nlp.fairShareWeight()).isEqualTo(0.5); // "500m"
        assertThat(nlp.quota("H100-80GB").nominal()).isEqualTo(16);
        assertThat(nlp.quota("H100-80GB").borrowingLimit()).isEqualTo(8);
        assertThat(nlp.quota("H100-80GB").lendingLimit()).isEqualTo(4);
        // 14 MIG 3g.40gb instances of 3 compute slices each: 14 x 3/7 = 6 GPUs.
        assertThat(nlp.quota("A100-80GB").nominal()).isCloseTo(6, within(1e-9));
        assertThat(result.queues().get(0).get("preemption").toString()).isEqualTo("{\"withinQueue\":"
                + "\"LowerPriority\",\"reclaimWithinCohort\":\"Any\",\"borrowWithinCohort\":\"LowerPriority\"}");
        Queue vision = queues.stream().filter(q -> q.id().equals("vision")).findFirst().orElseThrow();
        assertThat(vision.quotas()).containsOnlyKeys("H100-80GB");
        assertThat(vision.quota("H100-80GB").nominal()).isEqualTo(8);
        assertThat(result.notes()).containsExactly("ResourceFlavor anything selects nodes of several GPU models "
                + "[A100-80GB, H100-80GB, L4]: its quota is left out (give it nodeLabels that select one model)",
                "ClusterQueue vision: ResourceFlavor anything selects no node with GPUs of one model: its GPU quota "
                        + "is left out");
        assertThat(result.localQueues()).containsExactly(Map.entry("team-nlp/train", "nlp"));
    }

    /** Kueue's hierarchical cohorts, flattened to their root; a Cohort's own quota lent to it by a queue of its own. */
    @Test
    void aCohortTreeIsOneCohortAndACohortsOwnQuotaIsLent() throws Exception {
        ClusterQueue a = Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue", "metadata": {"name": "team-a"},
                 "spec": {"cohortName": "team-ab", "resourceGroups": [{"coveredResources": ["nvidia.com/gpu"],
                   "flavors": [{"name": "h100", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 8}]}]}]}}""",
                ClusterQueue.class);
        ClusterQueue b = Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue", "metadata": {"name": "team-c"},
                 "spec": {"cohortName": "research", "resourceGroups": [{"coveredResources": ["nvidia.com/gpu"],
                   "flavors": [{"name": "h100", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 4}]}]}]}}""",
                ClusterQueue.class);
        io.x_k8s.kueue.v1beta2.Cohort child = Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Cohort", "metadata": {"name": "team-ab"},
                 "spec": {"parentName": "research"}}""", io.x_k8s.kueue.v1beta2.Cohort.class);
        io.x_k8s.kueue.v1beta2.Cohort root = Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Cohort", "metadata": {"name": "research"},
                 "spec": {"resourceGroups": [{"coveredResources": ["nvidia.com/gpu"], "flavors": [{"name": "h100",
                   "resources": [{"name": "nvidia.com/gpu", "nominalQuota": 16}]}]}]}}""",
                io.x_k8s.kueue.v1beta2.Cohort.class);
        ResourceFlavor h100 = Serialization.unmarshal("""
                {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ResourceFlavor", "metadata": {"name": "h100"},
                 "spec": {"nodeLabels": {"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}}}""", ResourceFlavor.class);
        KueueQueues.Result r = new KueueQueues(MigCatalogue.bundled()).map(List.of(a, b), List.of(child, root),
                List.of(h100), List.of(), List.of(node("H100-80GB", "nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3")));
        String never = "\"preemption\":{\"withinQueue\":\"Never\",\"reclaimWithinCohort\":\"Never\","
                + "\"borrowWithinCohort\":\"Never\"}"; // the CRD's defaults
        assertThat(r.queues().toString()).isEqualTo("[{\"id\":\"team-a\",\"cohort\":\"research\",\"quotas\":"
                + "[{\"flavor\":\"H100-80GB\",\"nominalGpus\":8.0}]," + never + "},"
                + "{\"id\":\"team-c\",\"cohort\":\"research\",\"quotas\":[{\"flavor\":\"H100-80GB\","
                + "\"nominalGpus\":4.0}]," + never + "},"
                + "{\"id\":\"cohort:research\",\"cohort\":\"research\",\"quotas\":[{\"flavor\":\"H100-80GB\","
                + "\"nominalGpus\":16.0,\"borrowingLimitGpus\":0}]," + never + "}]");
        assertThat(r.notes()).containsExactly("Cohort team-ab is within cohort research (spec.parentName): the "
                + "contract's cohorts are flat, so its ClusterQueues borrow and lend across all of research");
        // As the contract reads them: research lends 16 more than its queues' own.
        List<Queue> read = ProblemReader.readQueues(new ObjectMapper().createObjectNode().set("queues", r.queues()),
                "Kueue");
        assertThat(read).hasSize(3);
    }
}
