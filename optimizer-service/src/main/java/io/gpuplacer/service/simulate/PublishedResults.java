package io.gpuplacer.service.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FGD paper's published per-seed allocation ratios ({@code analysis_allo_discrete.csv}: workload, sc_policy,
 * tune, seed, total_gpus, 0..130), averaged over seeds per workload and policy.
 */
final class PublishedResults {

    private final Map<String, double[]> sums = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    static PublishedResults read(Path file) throws IOException {
        PublishedResults out = new PublishedResults();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            List<String> header = Arrays.asList(reader.readLine().split(","));
            int first = header.indexOf("0");
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split(",");
                String key = f[header.indexOf("workload")] + "|" + f[header.indexOf("sc_policy")];
                double[] sum = out.sums.computeIfAbsent(key, k -> new double[Replay.POINTS]);
                for (int k = 0; k < Replay.POINTS && first + k < f.length; k++) {
                    sum[k] += f[first + k].isBlank() ? 0 : Double.parseDouble(f[first + k]);
                }
                out.counts.merge(key, 1, Integer::sum);
            }
        }
        return out;
    }

    /** Mean allocation ratio over the published seeds, or null when the pair was not published. */
    double[] mean(String workload, String policy) {
        double[] sum = sums.get(workload + "|" + policy);
        if (sum == null) {
            return null;
        }
        int n = counts.get(workload + "|" + policy);
        return Arrays.stream(sum).map(v -> v / n).toArray();
    }
}
