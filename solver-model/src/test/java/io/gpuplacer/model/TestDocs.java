package io.gpuplacer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;

/** Small, valid interchange documents to start tests from, and a reader that fails loudly. */
public final class TestDocs {

    public static final ObjectMapper JSON = new ObjectMapper();

    public static final String CLUSTER = """
            {"zones": [{"id": "DE", "pue": 1.5}, {"id": "FR", "pue": 1.2}],
             "nodes": [
              {"id": "h1", "zone": "DE", "rack": "r1", "block": "b1", "gpuModel": "H100-80GB", "gpuCount": 8,
               "nvlinkIslands": [[0,1,2,3],[4,5,6,7]], "cpuMillis": 64000, "memoryMiB": 524288,
               "capacityType": "ON_DEMAND", "costPerHour": 10.0, "baseWatts": 1000, "gpuBusyWatts": 600},
              {"id": "h2", "zone": "DE", "rack": "r2", "block": "b1", "gpuModel": "H100-80GB", "gpuCount": 8,
               "cpuMillis": 64000, "memoryMiB": 524288, "capacityType": "ON_DEMAND", "costPerHour": 10.0,
               "baseWatts": 1000, "gpuBusyWatts": 600},
              {"id": "a1", "zone": "FR", "rack": "r3", "block": "b2", "gpuModel": "A100-80GB", "gpuCount": 2,
               "migEnabled": true, "cpuMillis": 32000, "memoryMiB": 262144, "capacityType": "ON_DEMAND",
               "costPerHour": 4.0, "baseWatts": 500, "gpuBusyWatts": 350},
              {"id": "t1", "zone": "FR", "rack": "r3", "block": "b2", "gpuModel": "T4", "gpuCount": 2,
               "cpuMillis": 16000, "memoryMiB": 65536, "capacityType": "SPOT", "interruptionPerHour": 0.1,
               "costPerHour": 0.5, "baseWatts": 200, "gpuBusyWatts": 50}
             ],
             "running": [
              {"job": "run-1", "task": 0, "node": "h2", "gpus": [0, 1], "migStart": null, "remainingHours": 2.5,
               "migratable": true, "team": "t", "priority": 10, "gpu": {"kind": "WHOLE", "count": 2},
               "cpuMillis": 4000, "memoryMiB": 8192, "utilization": 0.5}
             ]}
            """;

    public static final String JOBS = """
            {"now": "2026-11-22T00:00:00Z", "horizonHours": 24,
             "jobs": [
              {"id": "j1", "team": "nlp", "priority": 100, "tasks": 2, "gpu": {"kind": "WHOLE", "count": 4},
               "cpuMillis": 8000, "memoryMiB": 65536, "gpuModels": ["H100-80GB"], "topology": "BLOCK",
               "preemptible": false, "checkpointMinutes": 30, "restartMinutes": 5, "durationHours": 3.5,
               "utilization": 0.8},
              {"id": "j2", "priority": 5, "tasks": 1, "gpu": {"kind": "SHARED", "milli": 300},
               "cpuMillis": 1000, "memoryMiB": 1024, "durationHours": 1, "preemptible": true,
               "deadline": "2026-11-22T10:00:00Z"},
              {"id": "j3", "priority": 7, "tasks": 1, "gpu": {"kind": "MIG", "profile": "3g.40gb"},
               "cpuMillis": 1000, "memoryMiB": 1024, "durationHours": 2}
             ]}
            """;

    public static final String SIGNALS = """
            {"zones": {"DE": {"carbon": [{"at": "2026-11-21T23:00:00Z", "gPerKWh": 300},
                                          {"at": "2026-11-22T02:00:00Z", "gPerKWh": 100}],
                              "price": [{"at": "2026-11-22T01:00:00Z", "usdPerMWh": 80}]}}}
            """;

    private TestDocs() {
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Problem read(JsonNode cluster, JsonNode jobs, JsonNode signals) {
        try {
            return new ProblemReader().read(cluster, jobs, signals);
        } catch (InputException e) {
            throw new AssertionError("test documents are invalid: " + e.getMessage(), e);
        }
    }

    public static Problem read(String cluster, String jobs, String signals) {
        return read(parse(cluster), parse(jobs), signals == null ? null : parse(signals));
    }

    /** The node at a dotted path with [i] indices, e.g. {@code jobs[0].gpu}. */
    public static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (!name.isEmpty()) {
                node = node.get(name);
            }
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                node = node.get(Integer.parseInt(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        return node;
    }

    /** Sets (or, with a null value, removes) the field at the end of a path. */
    public static void set(JsonNode root, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        ObjectNode parent = (ObjectNode) (dot < 0 ? root : at(root, path.substring(0, dot)));
        String field = dot < 0 ? path : path.substring(dot + 1);
        if (value == null) {
            parent.remove(field);
        } else {
            parent.set(field, value);
        }
    }

    public static ArrayNode array(Object... values) {
        return JSON.valueToTree(values);
    }
}
