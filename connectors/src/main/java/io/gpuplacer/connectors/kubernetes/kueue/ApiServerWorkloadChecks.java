package io.gpuplacer.connectors.kubernetes.kueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.connectors.kubernetes.snapshot.LiveQueues;
import io.x_k8s.kueue.v1beta2.Workload;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Workloads and AdmissionChecks from the watcher's Kueue informers, answered through the API server: the check's
 * entry of {@code status.admissionChecks} (and an AdmissionCheck's {@code Active} condition) replaced in a status
 * update that carries the object's resourceVersion, so that a Workload Kueue changed meanwhile is not overwritten.
 */
public final class ApiServerWorkloadChecks implements WorkloadChecks {

    /** Kueue's bound on a check's message. */
    static final int MAX_MESSAGE = 32_768;
    private static final ObjectMapper JSON = Serialization.jsonMapper();

    private final Supplier<KueueInformers> kueue;
    private final Supplier<List<Node>> nodes;
    private final LiveQueues queues;
    private final KueueWorkloads reader;
    private final String controller;
    private final String blockLabel;
    private final Clock clock;
    private volatile boolean retryPruned;

    public ApiServerWorkloadChecks(Supplier<KueueInformers> kueue, Supplier<List<Node>> nodes, LiveQueues queues,
                                   KueueWorkloads reader, String controller, String blockLabel, Clock clock) {
        this.kueue = kueue;
        this.nodes = nodes;
        this.queues = queues;
        this.reader = reader;
        this.controller = controller;
        this.blockLabel = blockLabel;
        this.clock = clock;
    }

    @Override
    public List<String> checks() {
        KueueInformers k = kueue.get();
        if (k == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (GenericKubernetesResource check : k.admissionChecks()) {
            JsonNode tree = JSON.valueToTree(check);
            if (controller.equals(tree.path("spec").path("controllerName").asText())) {
                out.add(check.getMetadata().getName());
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public List<Waiting> waiting() {
        KueueInformers k = kueue.get();
        Set<String> ours = new HashSet<>(checks());
        if (k == null || ours.isEmpty()) {
            return List.of();
        }
        Map<String, String> localQueues = queues.current().localQueues();
        List<Waiting> out = new ArrayList<>();
        for (GenericKubernetesResource object : k.workloads()) {
            JsonNode status = JSON.valueToTree(object).path("status");
            JsonNode reserved = condition(status, "QuotaReserved");
            if (!"True".equals(reserved.path("status").asText()) || "True".equals(condition(status, "Finished")
                    .path("status").asText())) {
                continue;
            }
            for (JsonNode check : status.path("admissionChecks")) {
                String name = check.path("name").asText();
                if (!ours.contains(name) || !"Pending".equals(check.path("state").asText())) {
                    continue;
                }
                out.add(read(object, name, instant(reserved.path("lastTransitionTime").asText(null)),
                        check.path("message").asText(""), localQueues));
            }
        }
        return out;
    }

    private Waiting read(GenericKubernetesResource object, String check, Instant reservedAt, String message,
                         Map<String, String> localQueues) {
        String ns = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        String uid = object.getMetadata().getUid();
        try {
            ObjectNode tree = JSON.valueToTree(object);
            tree.remove("status"); // what is read is its spec and metadata: a status of another shape cannot stop it
            Workload workload = KueueApi.asV1beta2(JSON.convertValue(tree, GenericKubernetesResource.class),
                    Workload.class);
            ObjectNode job = reader.job(workload, localQueues);
            return new Waiting(ns, name, uid, check, job, null, reservedAt, message, reader.runningJobId(workload));
        } catch (IllegalArgumentException e) {
            return new Waiting(ns, name, uid, check, null, e.getMessage(), reservedAt, message, null);
        }
    }

    @Override
    public NodePin answer(Waiting workload, Answer answer) throws AnswerException {
        KueueInformers k = kueue.get();
        GenericKubernetesResource current = k == null ? null : k.workload(workload.namespace(), workload.name());
        if (current == null || !Objects.equals(current.getMetadata().getUid(), workload.uid())) {
            throw new AnswerException("the Workload is gone");
        }
        ObjectNode tree = JSON.valueToTree(current);
        ObjectNode entry = null;
        for (JsonNode check : tree.path("status").path("admissionChecks")) {
            if (workload.check().equals(check.path("name").asText())) {
                entry = (ObjectNode) check;
            }
        }
        if (entry == null || !"Pending".equals(entry.path("state").asText())) {
            throw new AnswerException("its check " + workload.check() + " is no longer Pending ("
                    + (entry == null ? "gone" : entry.path("state").asText()) + ")");
        }
        String message = answer.message().length() > MAX_MESSAGE ? answer.message().substring(0, MAX_MESSAGE)
                : answer.message();
        if (answer.state() == State.Pending && message.equals(entry.path("message").asText())) {
            return NodePin.NONE; // said already: no write
        }
        NodePin pin = answer.state() != State.Ready ? NodePin.NONE : placedByKueue(tree) ? TOPOLOGY_ASSIGNED
                : within(pin(answer.nodes()), flavorLabels(tree, k));
        if (answer.state() != State.Pending) {
            entry.put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        entry.put("state", answer.state().name()).put("message", message);
        entry.remove("requeueAfterSeconds");
        if (answer.state() == State.Retry && answer.requeueAfterSeconds() != null) {
            entry.put("requeueAfterSeconds", answer.requeueAfterSeconds());
        }
        if (answer.state() == State.Ready) {
            entry.set("podSetUpdates", podSetUpdates(tree, pin, workload));
        }
        GenericKubernetesResource written = update(tree, workload.namespace());
        if (answer.state() == State.Retry && answer.requeueAfterSeconds() != null) {
            JsonNode back = JSON.valueToTree(written).path("status").path("admissionChecks");
            for (JsonNode check : back) {
                if (workload.check().equals(check.path("name").asText()) && !check.has("requeueAfterSeconds")) {
                    retryPruned = true; // a Kueue release before delayed retries: its schema dropped the field
                }
            }
        }
        return pin;
    }

    /** One update per pod set: the GPU pod sets pinned (node selector, the gang's nodes), the others as they are. */
    private ArrayNode podSetUpdates(ObjectNode tree, NodePin pin, Waiting workload) throws AnswerException {
        Set<String> gpuSets;
        try {
            ObjectNode spec = tree.deepCopy();
            spec.remove("status"); // its pod sets are all that is read: a status field of a newer Kueue cannot stop it
            gpuSets = new HashSet<>(KueueWorkloads.gpuPodSets(JSON.treeToValue(spec, Workload.class)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new AnswerException("its pod sets do not read: " + e.getMessage());
        }
        ArrayNode updates = JSON.createArrayNode();
        for (JsonNode set : tree.path("spec").path("podSets")) {
            ObjectNode update = updates.addObject().put("name", set.path("name").asText());
            if (gpuSets.contains(set.path("name").asText())) {
                if (!pin.nodeSelector().isEmpty()) {
                    update.set("nodeSelector", JSON.valueToTree(pin.nodeSelector()));
                }
                if (pin.gangNodes().size() > 1) {
                    update.putObject("annotations").put(io.gpuplacer.connectors.kubernetes.gates.GatedPods.GANG_NODES,
                            String.join(",", pin.gangNodes()));
                }
            }
        }
        return updates;
    }

    /**
     * The nodes as a node selector: one node by its hostname; a gang by the block, else the zone, its nodes share
     * (its members then also carry the nodes, for the extender to hold them for the gang); nothing when they share
     * neither.
     */
    NodePin pin(List<String> chosen) {
        if (chosen == null || chosen.isEmpty()) {
            return NodePin.NONE;
        }
        Map<String, Map<String, String>> labels = nodeLabels();
        if (chosen.size() == 1) {
            String host = labels.getOrDefault(chosen.get(0), Map.of()).getOrDefault(HOSTNAME, chosen.get(0));
            return new NodePin(Map.of(HOSTNAME, host), List.copyOf(chosen), "node " + chosen.get(0));
        }
        for (String label : new String[] {blockLabel, ZONE}) {
            Set<String> values = new HashSet<>();
            chosen.forEach(n -> values.add(labels.getOrDefault(n, Map.of()).get(label)));
            if (values.size() == 1 && values.iterator().next() != null) {
                String value = values.iterator().next();
                return new NodePin(Map.of(label, value), List.copyOf(chosen), label + "=" + value);
            }
        }
        return new NodePin(Map.of(), List.copyOf(chosen), "its nodes share no block or zone: not pinned by a "
                + "selector");
    }

    static final NodePin TOPOLOGY_ASSIGNED = new NodePin(Map.of(), List.of(), "not pinned: Kueue's topology-aware "
            + "scheduling assigned its place");

    /** Whether Kueue's topology-aware scheduling assigned the pods their domains (a pin could contradict it). */
    private static boolean placedByKueue(ObjectNode workload) {
        for (JsonNode set : workload.path("status").path("admission").path("podSetAssignments")) {
            if (set.hasNonNull("topologyAssignment")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The node labels of the flavors Kueue assigned to the Workload's pod sets ({@code status.admission}): Kueue
     * puts them in the pods' node selector itself.
     */
    private static Map<String, String> flavorLabels(ObjectNode workload, KueueInformers k) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode set : workload.path("status").path("admission").path("podSetAssignments")) {
            set.path("flavors").forEach(flavor -> out.putAll(k.flavorNodeLabels(flavor.asText())));
        }
        return out;
    }

    /**
     * The pin, unless one of its nodes lacks a label of the assigned flavors: the pods could then go nowhere (Kueue's
     * selector and the pin would exclude each other), so Kueue's flavor alone places them.
     */
    NodePin within(NodePin pin, Map<String, String> flavorLabels) {
        if (pin.gangNodes().isEmpty() || flavorLabels.isEmpty()) {
            return pin;
        }
        Map<String, Map<String, String>> labels = nodeLabels();
        for (String node : pin.gangNodes()) {
            Map<String, String> has = labels.getOrDefault(node, Map.of());
            for (Map.Entry<String, String> want : flavorLabels.entrySet()) {
                if (!want.getValue().equals(has.get(want.getKey()))) {
                    return new NodePin(Map.of(), List.of(), "not pinned: node " + node + " lacks the assigned "
                            + "flavor's label " + want.getKey() + "=" + want.getValue() + " (Kueue's flavor places "
                            + "the pods)");
                }
            }
        }
        return pin;
    }

    private Map<String, Map<String, String>> nodeLabels() {
        Map<String, Map<String, String>> labels = new HashMap<>();
        for (Node n : nodes.get()) {
            labels.put(n.getMetadata().getName(), n.getMetadata().getLabels() == null ? Map.of()
                    : n.getMetadata().getLabels());
        }
        return labels;
    }

    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    @Override
    public void activate(String check, boolean active, String reason, String message) throws AnswerException {
        KueueInformers k = kueue.get();
        GenericKubernetesResource current = null;
        if (k != null) {
            current = k.admissionChecks().stream().filter(c -> check.equals(c.getMetadata().getName())).findFirst()
                    .orElse(null);
        }
        if (current == null) {
            throw new AnswerException("AdmissionCheck " + check + " is gone");
        }
        ObjectNode tree = JSON.valueToTree(current);
        ObjectNode status = tree.has("status") && tree.get("status").isObject() ? (ObjectNode) tree.get("status")
                : tree.putObject("status");
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        ObjectNode condition = null;
        for (JsonNode c : conditions) {
            if ("Active".equals(c.path("type").asText())) {
                condition = (ObjectNode) c;
            }
        }
        String wanted = active ? "True" : "False";
        if (condition != null && wanted.equals(condition.path("status").asText())
                && message.equals(condition.path("message").asText()) && reason.equals(condition.path("reason").asText())) {
            return;
        }
        if (condition == null || !wanted.equals(condition.path("status").asText())) {
            condition = condition == null ? conditions.addObject() : condition;
            condition.put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        condition.put("type", "Active").put("status", wanted).put("reason", reason).put("message", message);
        Long generation = current.getMetadata().getGeneration();
        condition.put("observedGeneration", generation == null ? 0 : generation);
        update(tree, null);
    }

    private GenericKubernetesResource update(ObjectNode tree, String namespace) throws AnswerException {
        KueueInformers k = kueue.get();
        try {
            GenericKubernetesResource object = JSON.treeToValue(tree, GenericKubernetesResource.class);
            var kind = k.api().resources(object.getKind());
            return (namespace == null ? kind.resource(object) : kind.inNamespace(namespace).resource(object))
                    .updateStatus();
        } catch (KubernetesClientException e) {
            throw new AnswerException(e.getCode() == 409 ? "it changed meanwhile (409); answered at the next tick"
                    : "the API server refused it (" + e.getCode() + (e.getStatus() != null
                    && e.getStatus().getMessage() != null ? ": " + e.getStatus().getMessage() : "") + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AnswerException("it does not read: " + e.getOriginalMessage());
        }
    }

    @Override
    public boolean delayedRetry() {
        return !retryPruned;
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
