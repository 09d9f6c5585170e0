package io.gpuplacer.connectors.kubernetes.gates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gpuplacer.connectors.kubernetes.snapshot.PodDemand;
import io.gpuplacer.model.interchange.InputException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The mutating admission webhook ({@code admission.k8s.io/v1 AdmissionReview}): a pod created in an opted-in
 * namespace that asks for a GPU gets the scheduling gate {@code gpuplacer.io/placement}, so that it waits until the
 * plan releases it at its hour on its nodes. Every other request is allowed unchanged: other kinds and operations,
 * pods asking for no GPU, pods already bound to a node, pods that opt out ({@code gpuplacer.io/gate: "false"}), and
 * in dry-run every pod (the answer then says what would have been done).
 */
public final class AdmissionGate {

    public static final String GATE = "gpuplacer.io/placement";
    public static final String OPT_OUT = "gpuplacer.io/gate";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The answer, and whether (and why not) the pod was gated. */
    public record Decision(ObjectNode review, String pod, boolean gated, String reason) {
    }

    private final Set<String> namespaces;
    private final boolean dryRun;
    /** Strict: data after the document (trailing bytes, a second document) is an error, not ignored. */
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** {@code namespaces}: the opted-in ones, empty for every namespace the webhook configuration sends. */
    public AdmissionGate(Set<String> namespaces, boolean dryRun) {
        this.namespaces = Set.copyOf(namespaces);
        this.dryRun = dryRun;
    }

    public Decision review(String body) throws InputException {
        JsonNode review;
        try {
            review = body == null ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InputException("body", null, "body: not JSON; expected an admission.k8s.io/v1 AdmissionReview");
        }
        JsonNode request = review == null ? null : review.get("request");
        if (request == null || !request.isObject() || !request.path("uid").isTextual()) {
            throw new InputException("request.uid", null, "request.uid: missing; expected an admission.k8s.io/v1 "
                    + "AdmissionReview with its request");
        }
        String uid = request.get("uid").asText();
        if (!"Pod".equals(request.path("kind").path("kind").asText()) || !"CREATE".equals(request.path("operation")
                .asText()) || !request.path("object").isObject()) {
            return new Decision(allow(uid, null), null, false, "not a pod being created");
        }
        Pod pod;
        try {
            pod = serialization.convertValue(request.get("object"), Pod.class);
        } catch (IllegalArgumentException e) {
            return new Decision(allow(uid, null), null, false, "not a v1 Pod");
        }
        if (pod.getMetadata() == null) {
            return new Decision(allow(uid, null), null, false, "no metadata");
        }
        String namespace = request.path("namespace").asText(String.valueOf(pod.getMetadata().getNamespace()));
        String name = pod.getMetadata().getName() != null ? pod.getMetadata().getName()
                : pod.getMetadata().getGenerateName() + "*";
        String ref = namespace + "/" + name;
        String reason = notGated(pod, namespace);
        if (reason != null) {
            return new Decision(allow(uid, null), ref, false, reason);
        }
        if (dryRun) {
            return new Decision(allow(uid, null), ref, false, "dry-run: would be gated");
        }
        ArrayNode patch = F.arrayNode();
        ObjectNode gate = F.objectNode().put("name", GATE);
        if (pod.getSpec().getSchedulingGates() == null || pod.getSpec().getSchedulingGates().isEmpty()) {
            patch.addObject().put("op", "add").put("path", "/spec/schedulingGates").putArray("value").add(gate);
        } else {
            patch.addObject().put("op", "add").put("path", "/spec/schedulingGates/-").set("value", gate);
        }
        return new Decision(allow(uid, patch), ref, true, "gated");
    }

    /** Why the pod is let through ungated, or null. */
    private String notGated(Pod pod, String namespace) {
        if (!namespaces.isEmpty() && !namespaces.contains(namespace)) {
            return "namespace " + namespace + " is not opted in";
        }
        if (pod.getSpec() == null) {
            return "no spec";
        }
        if (pod.getSpec().getNodeName() != null) {
            return "already bound to " + pod.getSpec().getNodeName();
        }
        if (pod.getMetadata() != null && pod.getMetadata().getAnnotations() != null
                && "false".equals(pod.getMetadata().getAnnotations().get(OPT_OUT))) {
            return "opted out (" + OPT_OUT + ": \"false\")";
        }
        if (pod.getSpec().getSchedulingGates() != null && pod.getSpec().getSchedulingGates().stream()
                .anyMatch(g -> g != null && GATE.equals(g.getName()))) {
            return "already gated";
        }
        try {
            if ("NONE".equals(PodDemand.of(pod).kind())) {
                return "asks for no GPU";
            }
        } catch (IllegalArgumentException e) {
            return "its requests do not read (" + e.getMessage() + ")";
        }
        return null;
    }

    private static ObjectNode allow(String uid, ArrayNode patch) {
        ObjectNode review = F.objectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode response = review.putObject("response").put("uid", uid).put("allowed", true);
        if (patch != null) {
            response.put("patchType", "JSONPatch").put("patch", Base64.getEncoder().encodeToString(
                    patch.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return review;
    }
}
