package io.gpuplacer.service.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Queue;
import io.micronaut.context.exceptions.ConfigurationException;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gpuplacer.kubernetes.queues-file}: the queues of a Kubernetes cluster in the contract's own shape (section
 * 9), and which Kueue LocalQueue is which queue:
 * <pre>
 * {"queues": [{"id": "nlp", "cohort": "research", "quotas": [{"flavor": "H100-80GB", "nominalGpus": 16}]}],
 *  "localQueues": {"team-nlp/train": "nlp", "default": "nlp"}}
 * </pre>
 * A LocalQueue key is {@code namespace/name}, or a name in any namespace. Read and checked once at start: a file
 * that breaks the contract stops the service with the field and value named, rather than every snapshot failing.
 */
final class QueuesFile {

    private static final String SETTING = "gpuplacer.kubernetes.queues-file";

    private QueuesFile() {
    }

    static SnapshotSettings.Queues read(String file) {
        if (file == null || file.isBlank()) {
            return SnapshotSettings.Queues.NONE;
        }
        try {
            JsonNode doc = ProblemReader.parse(Path.of(file));
            List<Queue> queues = ProblemReader.readQueues(doc, file);
            Set<String> ids = new HashSet<>();
            queues.forEach(q -> ids.add(q.id()));
            Map<String, String> local = new LinkedHashMap<>();
            JsonNode map = doc.path("localQueues");
            if (!map.isMissingNode() && !map.isObject()) {
                throw new InputException("localQueues", map.toString(), file + ": localQueues: " + map
                        + " must be an object of LocalQueue to queue id");
            }
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
                String id = e.getValue().asText();
                if (!e.getValue().isTextual() || !ids.contains(id)) {
                    throw new InputException("localQueues." + e.getKey(), e.getValue().toString(), file
                            + ": localQueues." + e.getKey() + ": " + e.getValue() + " is not a queue of the file");
                }
                local.put(e.getKey(), id);
            }
            ArrayNode definitions = doc.has("queues") && doc.get("queues").isArray() ? (ArrayNode) doc.get("queues")
                    : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            return new SnapshotSettings.Queues(definitions, Map.copyOf(local), Set.copyOf(ids));
        } catch (InputException e) {
            throw new ConfigurationException(SETTING + ": " + e.getMessage());
        }
    }
}
