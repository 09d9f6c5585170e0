package io.gpuplacer.connectors.kubernetes.extender;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gpuplacer.connectors.kubernetes.gates.GatedPods;
import io.gpuplacer.connectors.kubernetes.snapshot.GangSizes;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.model.interchange.InputException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire shapes of {@code k8s.io/kube-scheduler/extender/v1}: {@code ExtenderArgs {Pod, Nodes, NodeNames}} in,
 * {@code ExtenderFilterResult}, {@code HostPriorityList} and {@code ExtenderBindingResult} out, with the field names
 * kube-scheduler sends (Go's, PascalCase; read in any case, as Go's decoder does). Both {@code nodeCacheCapable}
 * modes: with {@code NodeNames} the answer names the nodes, with {@code Nodes} it returns the node objects that
 * passed, as sent. The pod becomes a pending job through {@link PendingPods}; a pod whose annotations do not read
 * is not a wire error but the answer's {@code Error}, which kube-scheduler records on the pod.
 */
public final class ExtenderProtocol {

    /** kube-scheduler's MaxExtenderPriority: scores are 0..10. */
    public static final int MAX_PRIORITY = 10;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The pod being scheduled. */
    public record PodRef(String namespace, String name, String uid) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    /**
     * One filter or prioritize call.
     *
     * @param job       the pod as a pending job (its gang's, when it is one task of a gang); null with podError
     * @param podError  why the pod does not read as a job, or null
     * @param nodeNames the candidate nodes
     * @param nodeItems the node objects as sent ({@code Nodes.items}), or null when only names were sent
     * @param gangNodes the nodes its gang was released to (annotation gpuplacer.io/gang-nodes), else empty
     * @param controller its controlling owner ({@code namespace/name}), or null
     * @param runningJob the job a cluster snapshot names the pod's once it runs, or null when it does not read
     */
    public record Args(PodRef pod, boolean gang, ObjectNode job, String podError, List<String> nodeNames,
                       ArrayNode nodeItems, List<String> gangNodes, String controller, String runningJob) {
    }

    /** {@code ExtenderBindingArgs}. */
    public record BindingArgs(PodRef pod, String node) {
    }

    /** One entry of a {@code HostPriorityList}. */
    public record HostPriority(String host, int score) {
    }

    private final PendingPods pods;
    private final GangSizes sizes;
    /** Strict: data after the document (trailing bytes, a second document) is an error, not ignored. */
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public ExtenderProtocol(PendingPods pods, GangSizes sizes) {
        this.pods = pods;
        this.sizes = sizes;
    }

    /** Reads {@code ExtenderArgs}; a body not in its shape is an error naming the field. */
    public Args readArgs(String body) throws InputException {
        ObjectNode args = object(body, "ExtenderArgs");
        JsonNode podNode = field(args, "Pod");
        if (podNode == null || !podNode.isObject()) {
            throw new InputException("Pod", text(podNode), "Pod: " + (podNode == null ? "missing" : "must be an object")
                    + "; expected the v1 Pod being scheduled");
        }
        Pod pod;
        try {
            pod = serialization.convertValue(podNode, Pod.class);
        } catch (IllegalArgumentException e) {
            throw new InputException("Pod", null, "Pod: not a v1 Pod (" + firstLine(e.getMessage()) + ")");
        }
        if (pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            throw new InputException("Pod.metadata.name", null, "Pod.metadata.name: missing");
        }
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        pod.getMetadata().setNamespace(namespace);
        PodRef ref = new PodRef(namespace, pod.getMetadata().getName(), pod.getMetadata().getUid());
        List<String> names = new ArrayList<>();
        ArrayNode items = null;
        JsonNode nodeNames = field(args, "NodeNames");
        JsonNode nodes = field(args, "Nodes");
        if (nodeNames != null && !nodeNames.isNull()) {
            if (!nodeNames.isArray()) {
                throw new InputException("NodeNames", text(nodeNames), "NodeNames: must be an array of node names");
            }
            for (int i = 0; i < nodeNames.size(); i++) {
                if (!nodeNames.get(i).isTextual()) {
                    throw new InputException("NodeNames[" + i + "]", text(nodeNames.get(i)), "NodeNames[" + i + "]: "
                            + "must be a node name");
                }
                names.add(nodeNames.get(i).asText());
            }
        } else if (nodes != null && !nodes.isNull()) {
            JsonNode list = nodes.isObject() ? field((ObjectNode) nodes, "items") : null;
            if (list == null || !(list.isArray() || list.isNull())) {
                throw new InputException("Nodes.items", text(list), "Nodes.items: must be an array of v1 Nodes");
            }
            items = list.isNull() ? F.arrayNode() : (ArrayNode) list;
            for (int i = 0; i < items.size(); i++) {
                JsonNode name = items.get(i).path("metadata").path("name");
                if (!name.isTextual()) {
                    throw new InputException("Nodes.items[" + i + "].metadata.name", text(name),
                            "Nodes.items[" + i + "].metadata.name: missing");
                }
                names.add(name.asText());
            }
        } else {
            throw new InputException("NodeNames", null, "NodeNames: missing, and no Nodes either; kube-scheduler sends "
                    + "one of them (NodeNames with nodeCacheCapable: true)");
        }
        boolean gang;
        try {
            gang = pods.inGang(pod);
        } catch (IllegalArgumentException e) {
            return new Args(ref, false, null, "pod " + ref + ": " + e.getMessage(), List.copyOf(names), items, List.of(),
                    null, null);
        }
        String released = pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(GatedPods.GANG_NODES);
        List<String> gangNodes = released == null ? List.of() : java.util.Arrays.stream(released.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        String controller = pods.controllerOf(pod);
        try {
            return new Args(ref, gang, pods.job(pod, pods.tasks(pod, sizes)), null, List.copyOf(names), items,
                    gangNodes, controller, pods.runningJobId(pod));
        } catch (IllegalArgumentException e) {
            return new Args(ref, gang, null, "pod " + ref + ": " + e.getMessage(), List.copyOf(names), items,
                    gangNodes, controller, null);
        }
    }

    /** Reads {@code ExtenderBindingArgs}. */
    public BindingArgs readBinding(String body) throws InputException {
        ObjectNode args = object(body, "ExtenderBindingArgs");
        String name = required(args, "PodName");
        JsonNode ns = field(args, "PodNamespace");
        JsonNode uid = field(args, "PodUID");
        String node = required(args, "Node");
        return new BindingArgs(new PodRef(ns == null || ns.isNull() || ns.asText().isEmpty() ? "default" : ns.asText(),
                name, uid == null || uid.isNull() ? null : uid.asText()), node);
    }

    /** {@code ExtenderFilterResult}: the nodes that passed in the shape they came in, the others with reasons. */
    public ObjectNode filterResult(Args args, Collection<String> passed, Map<String, String> failed,
                                   Map<String, String> unresolvable, String error) {
        ObjectNode out = F.objectNode();
        if (args.nodeItems() != null) {
            Set<String> keep = Set.copyOf(passed);
            ObjectNode list = out.putObject("Nodes").put("apiVersion", "v1").put("kind", "NodeList");
            ArrayNode items = list.putArray("items");
            for (JsonNode item : args.nodeItems()) {
                if (keep.contains(item.path("metadata").path("name").asText())) {
                    items.add(item);
                }
            }
            out.putNull("NodeNames");
        } else {
            out.putNull("Nodes");
            ArrayNode names = out.putArray("NodeNames");
            passed.forEach(names::add);
        }
        ObjectNode f = out.putObject("FailedNodes");
        failed.forEach(f::put);
        ObjectNode u = out.putObject("FailedAndUnresolvableNodes");
        unresolvable.forEach(u::put);
        out.put("Error", error == null ? "" : error);
        return out;
    }

    /** {@code HostPriorityList}. */
    public ArrayNode priorities(List<HostPriority> scores) {
        ArrayNode out = F.arrayNode();
        for (HostPriority p : scores) {
            out.addObject().put("Host", p.host()).put("Score", Math.max(0, Math.min(MAX_PRIORITY, p.score())));
        }
        return out;
    }

    /** {@code ExtenderBindingResult}. */
    public ObjectNode bindingResult(String error) {
        return F.objectNode().put("Error", error == null ? "" : error);
    }

    private ObjectNode object(String body, String what) throws InputException {
        if (body == null || body.isBlank()) {
            throw new InputException("body", null, "body: missing; expected " + what + " as JSON");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InputException("body", null, "body: not JSON (" + firstLine(e.getOriginalMessage()) + ")");
        }
        if (!(node instanceof ObjectNode o)) {
            throw new InputException("body", text(node), "body: must be a JSON object (" + what + ")");
        }
        return o;
    }

    private static String required(ObjectNode args, String name) throws InputException {
        JsonNode v = field(args, name);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new InputException(name, text(v), name + ": " + (v == null ? "missing" : "must be a non-empty string"));
        }
        return v.asText();
    }

    /** A field by name in any case, as Go's JSON decoder matches struct fields. */
    static JsonNode field(ObjectNode o, String name) {
        JsonNode exact = o.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equalsIgnoreCase(name)) {
                return o.get(key);
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return null;
        }
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
