package io.gpuplacer.service.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a small synthetic trace in the openb format (a node list and a pod list with the same columns), for
 * tests and demos: the real traces are research-only and are not shipped. Shapes follow the openb mix: mostly
 * 1-GPU and shared pods, some multi-GPU and CPU-only ones, a few tied to a GPU model.
 */
public final class TraceGenerator {

    private static final String[] MODELS = {"G2", "T4", "P100", "V100M16"};

    private TraceGenerator() {
    }

    public static void write(Path nodeList, Path podList, int nodes, int pods, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder n = new StringBuilder("sn,cpu_milli,memory_mib,gpu,model\n");
        for (int i = 0; i < nodes; i++) {
            String model = MODELS[random.nextInt(MODELS.length)];
            int gpus = model.equals("G2") ? 8 : model.equals("T4") ? 1 + random.nextInt(2) : 2 + 2 * random.nextInt(2);
            n.append(String.format(Locale.ROOT, "synth-node-%04d,%d,%d,%d,%s%n", i, gpus * 12000, gpus * 49152, gpus,
                    model));
        }
        StringBuilder p = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,"
                + "creation_time,deletion_time,scheduled_time\n");
        for (int i = 0; i < pods; i++) {
            double kind = random.nextDouble();
            int numGpu;
            int milli;
            if (kind < 0.45) {
                numGpu = 1;
                milli = 1000;
            } else if (kind < 0.8) {
                numGpu = 1;
                milli = 50 * (1 + random.nextInt(19));
            } else if (kind < 0.9) {
                numGpu = 2 << random.nextInt(2);
                milli = 1000;
            } else {
                numGpu = 0;
                milli = 0;
            }
            String spec = numGpu > 0 && random.nextDouble() < 0.1 ? MODELS[random.nextInt(MODELS.length)] : "";
            p.append(String.format(Locale.ROOT, "synth-pod-%05d,%d,%d,%d,%d,%s,LS,Running,0,0,0%n", i,
                    1000 * (1 + random.nextInt(12)), 1024 * (1 + random.nextInt(32)), numGpu, milli, spec));
        }
        Files.writeString(nodeList, n.toString());
        Files.writeString(podList, p.toString());
    }
}
