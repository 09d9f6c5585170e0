package io.gpuplacer.connectors.traces;

import io.gpuplacer.model.interchange.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the Alibaba cluster-trace-gpu-v2023 "openb" node and pod lists (the traces of the FGD paper). Columns are
 * found by header name, so every variant reads: the multigpu files have only name, cpu_milli, memory_mib,
 * num_gpu and gpu_milli. The traces are research-only and not shipped with the project: they are read from a
 * path.
 */
public final class OpenbTrace {

    /** A node: {@code sn}, CPU millis, memory, GPU count and model. */
    public record OpenbNode(String name, long cpuMilli, long memoryMib, int gpus, String model) {
    }

    /**
     * A pod: CPU millis, memory, {@code num_gpu} GPUs of {@code gpu_milli} each (a share of one GPU when below
     * 1000), and the GPU models it may use (empty = any).
     */
    public record OpenbPod(String name, long cpuMilli, long memoryMib, int numGpu, int gpuMilli, List<String> gpuSpec) {

        /** Requested milli-GPU: num_gpu x gpu_milli (the FGD simulator's arrived-demand unit). */
        public long requestedMilliGpu() {
            return (long) numGpu * gpuMilli;
        }

        /** Whether the pod takes a share of one GPU (gpu_milli under 1000) rather than whole GPUs or none. */
        public boolean sharesAGpu() {
            return numGpu == 1 && gpuMilli > 0 && gpuMilli < 1000;
        }

        /** The milli-GPU it takes on each of its GPUs: its share, or 1000 for whole GPUs. */
        public int milliPerGpu() {
            return Math.min(gpuMilli, 1000);
        }
    }

    private OpenbTrace() {
    }

    public static List<OpenbNode> readNodes(Path file) throws InputException {
        List<OpenbNode> nodes = new ArrayList<>();
        for (Row row : rows(file, List.of("sn", "cpu_milli", "memory_mib", "gpu", "model"))) {
            nodes.add(new OpenbNode(row.text("sn"), row.number("cpu_milli"), row.number("memory_mib"),
                    (int) row.number("gpu"), row.text("model")));
        }
        return nodes;
    }

    public static List<OpenbPod> readPods(Path file) throws InputException {
        List<OpenbPod> pods = new ArrayList<>();
        for (Row row : rows(file, List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli"))) {
            int numGpu = (int) row.number("num_gpu");
            int gpuMilli = (int) row.number("gpu_milli");
            if (numGpu > 0 && (gpuMilli < 1 || gpuMilli > 1000)) {
                throw row.error("gpu_milli", String.valueOf(gpuMilli), "must be 1..1000 when num_gpu > 0");
            }
            String spec = row.has("gpu_spec") ? row.text("gpu_spec") : "";
            List<String> models = spec.isBlank() ? List.of() : Arrays.stream(spec.split("\\|")).map(String::trim)
                    .filter(m -> !m.isEmpty()).toList();
            pods.add(new OpenbPod(row.text("name"), row.number("cpu_milli"), row.number("memory_mib"), numGpu,
                    gpuMilli, models));
        }
        return pods;
    }

    private record Row(Path file, int line, List<String> header, String[] fields) {

        boolean has(String column) {
            int i = header.indexOf(column);
            return i >= 0 && i < fields.length;
        }

        String text(String column) {
            int i = header.indexOf(column);
            return i < fields.length ? fields[i].trim() : "";
        }

        long number(String column) throws InputException {
            String v = text(column);
            try {
                long n = (long) Double.parseDouble(v);
                if (n < 0) {
                    throw error(column, v, "must be >= 0");
                }
                return n;
            } catch (NumberFormatException e) {
                throw error(column, v, "must be a number");
            }
        }

        InputException error(String column, String value, String what) {
            return new InputException(column, value, file + ":" + line + ": " + column + ": \"" + value + "\" " + what);
        }
    }

    private static List<Row> rows(Path file, List<String> required) throws InputException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String head = reader.readLine();
            if (head == null) {
                throw new InputException("", file.toString(), file + ": empty file");
            }
            List<String> header = Arrays.stream(head.split(",", -1)).map(String::trim).toList();
            for (String column : required) {
                if (!header.contains(column)) {
                    throw new InputException(column, null, file + ": column " + column + " is missing; header: "
                            + head);
                }
            }
            List<Row> rows = new ArrayList<>();
            String line;
            int number = 1;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    rows.add(new Row(file, number, header, line.split(",", -1)));
                }
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw new InputException("", file.toString(), file + ": no such file");
        } catch (IOException e) {
            throw new InputException("", file.toString(), file + ": cannot be read: " + e.getMessage());
        }
    }
}
