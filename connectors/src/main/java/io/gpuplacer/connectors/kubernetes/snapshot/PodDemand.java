package io.gpuplacer.connectors.kubernetes.snapshot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

import static io.gpuplacer.connectors.kubernetes.snapshot.Values.integer;
import static io.gpuplacer.connectors.kubernetes.snapshot.Values.labels;

/**
 * What one pod asks for, per task of the interchange: the GPU demand ({@code nvidia.com/mig-<profile>} is MIG,
 * annotation {@code gpuplacer.io/gpu-milli} SHARED, {@code nvidia.com/gpu} WHOLE, none NONE), CPU and memory, with
 * requests summed over the containers (init containers run before them, not beside them).
 *
 * @param kind       WHOLE, SHARED, MIG or NONE
 * @param count      whole GPUs (WHOLE)
 * @param milli      thousandths of one GPU (SHARED)
 * @param migProfile the MIG profile, e.g. 3g.40gb (MIG)
 */
public record PodDemand(String kind, int count, int milli, String migProfile, long cpuMillis, long memoryMiB) {

    public static PodDemand of(Pod pod) {
        Map<String, BigDecimal> requests = requests(pod);
        Map<String, String> notes = pod.getMetadata() == null ? Map.of() : labels(pod.getMetadata().getAnnotations());
        long cpu = requests.getOrDefault("cpu", BigDecimal.ZERO).multiply(BigDecimal.valueOf(1000))
                .setScale(0, RoundingMode.CEILING).longValue();
        long memory = requests.getOrDefault("memory", BigDecimal.ZERO).divide(BigDecimal.valueOf(1 << 20),
                RoundingMode.CEILING).longValue();
        String profile = requests.keySet().stream().filter(k -> k.startsWith(SnapshotMapper.MIG_PREFIX)).findFirst()
                .orElse(null);
        if (profile != null) {
            return new PodDemand("MIG", 0, 0, profile.substring(SnapshotMapper.MIG_PREFIX.length()), cpu, memory);
        }
        String shared = notes.get(SnapshotMapper.ANNOTATION + "gpu-milli");
        if (shared != null) {
            int milli = integer(shared, 1, "annotation gpuplacer.io/gpu-milli");
            if (milli > 1000) {
                throw new IllegalArgumentException("annotation gpuplacer.io/gpu-milli " + milli + " is above 1000");
            }
            return new PodDemand("SHARED", 0, milli, null, cpu, memory);
        }
        BigDecimal gpus = requests.get(SnapshotMapper.GPU);
        if (gpus != null && gpus.signum() > 0) {
            try {
                return new PodDemand("WHOLE", gpus.intValueExact(), 0, null, cpu, memory);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("requests " + SnapshotMapper.GPU + " \"" + gpus.toPlainString()
                        + "\" is not a whole number of GPUs");
            }
        }
        return new PodDemand("NONE", 0, 0, null, cpu, memory);
    }

    /** The demand as the interchange writes it: {"kind":"WHOLE","count":4}. */
    public ObjectNode gpu() {
        ObjectNode g = JsonNodeFactory.instance.objectNode().put("kind", kind);
        switch (kind) {
            case "WHOLE" -> g.put("count", count);
            case "SHARED" -> g.put("milli", milli);
            case "MIG" -> g.put("profile", migProfile);
            default -> { }
        }
        return g;
    }

    /** A short name of the GPU demand: WHOLE:4, SHARED:250, MIG:3g.40gb, NONE. */
    public String shape() {
        return switch (kind) {
            case "WHOLE" -> "WHOLE:" + count;
            case "SHARED" -> "SHARED:" + milli;
            case "MIG" -> "MIG:" + migProfile;
            default -> "NONE";
        };
    }

    private static Map<String, BigDecimal> requests(Pod pod) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return out;
        }
        for (Container c : pod.getSpec().getContainers()) {
            if (c != null && c.getResources() != null && c.getResources().getRequests() != null) {
                c.getResources().getRequests().forEach((k, q) -> {
                    if (q == null || q.getAmount() == null) {
                        throw new IllegalArgumentException("requests " + k + " has no value");
                    }
                    try {
                        out.merge(k, q.getNumericalAmount(), BigDecimal::add);
                    } catch (ArithmeticException | IllegalArgumentException e) {
                        throw new IllegalArgumentException("requests " + k + " \"" + q + "\" is not a quantity");
                    }
                });
            }
        }
        return out;
    }
}
