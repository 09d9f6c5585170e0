package io.gpuplacer.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Interchange jobs written as the pods a user would submit (requests, priority, gpuplacer.io annotations), and
 * kube-scheduler's ExtenderArgs around them: for the extender's benchmark and tests.
 */
public final class JobPods {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobPods() {
    }

    /** A pod in namespace ml for one task of the job; a job of several tasks is a pod group of that size. */
    public static ObjectNode pod(JsonNode job, String name, String uid) {
        ObjectNode pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", "ml").put("uid", uid);
        ObjectNode labels = meta.putObject("labels").put("gpuplacer.io/team", job.path("team").asText("default"));
        ObjectNode notes = meta.putObject("annotations");
        notes.put("gpuplacer.io/duration-hours", job.get("durationHours").asText());
        notes.put("gpuplacer.io/topology", job.path("topology").asText("ANY"));
        notes.put("gpuplacer.io/preemptible", Boolean.toString(job.path("preemptible").asBoolean(false)));
        notes.put("gpuplacer.io/utilization", job.path("utilization").asText("1.0"));
        if (job.path("gpuModels").size() > 0) {
            List<String> models = new ArrayList<>();
            job.get("gpuModels").forEach(m -> models.add(m.asText()));
            notes.put("gpuplacer.io/gpu-models", String.join(",", models));
        }
        int tasks = job.path("tasks").asInt(1);
        if (tasks > 1) {
            labels.put("scheduling.x-k8s.io/pod-group", job.get("id").asText());
            notes.put("gpuplacer.io/gang-size", Integer.toString(tasks));
        }
        ObjectNode spec = pod.putObject("spec").put("priority", job.path("priority").asInt(1));
        ObjectNode requests = spec.putArray("containers").addObject().put("name", "main").put("image", "x")
                .putObject("resources").putObject("requests");
        requests.put("cpu", job.path("cpuMillis").asLong() + "m").put("memory", job.path("memoryMiB").asLong() + "Mi");
        JsonNode gpu = job.get("gpu");
        switch (gpu.get("kind").asText()) {
            case "WHOLE" -> requests.put("nvidia.com/gpu", gpu.get("count").asText());
            case "SHARED" -> notes.put("gpuplacer.io/gpu-milli", gpu.get("milli").asText());
            case "MIG" -> requests.put("nvidia.com/mig-" + gpu.get("profile").asText(), "1");
            default -> { }
        }
        pod.putObject("status").put("phase", "Pending");
        return pod;
    }

    public static String args(ObjectNode pod, List<String> names) {
        ObjectNode args = JSON.createObjectNode();
        args.set("Pod", pod);
        args.putNull("Nodes");
        ArrayNode list = args.putArray("NodeNames");
        names.forEach(list::add);
        return args.toString();
    }

}
