package io.gpuplacer.model.problem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MIG profile table (resource {@code mig/mig_profiles.csv}, sources in {@code mig/README.md}): which
 * profiles each GPU model offers and where their instances may start.
 */
public final class MigCatalogue {

    /** Compute slices of one MIG-capable GPU. */
    public static final int COMPUTE_SLICES = 7;
    /** Memory slices of one MIG-capable GPU. */
    public static final int MEMORY_SLICES = 8;

    private static final MigCatalogue BUNDLED = load();

    private final Map<String, Map<String, MigProfile>> byModel;

    private MigCatalogue(Map<String, Map<String, MigProfile>> byModel) {
        this.byModel = byModel;
    }

    public static MigCatalogue bundled() {
        return BUNDLED;
    }

    /** The profiles of one GPU model by name, in table order; empty when the model has no MIG. */
    public Map<String, MigProfile> profilesOf(String gpuModel) {
        return byModel.getOrDefault(gpuModel, Map.of());
    }

    public Set<String> models() {
        return byModel.keySet();
    }

    /** Compute slices of a profile name, read from any model that has it; -1 when no model has it. */
    public int computeSlicesOf(String profile) {
        for (Map<String, MigProfile> profiles : byModel.values()) {
            MigProfile p = profiles.get(profile);
            if (p != null) {
                return p.computeSlices();
            }
        }
        return -1;
    }

    public boolean anyModelHas(String profile) {
        return computeSlicesOf(profile) >= 0;
    }

    private static MigCatalogue load() {
        try (InputStream in = MigCatalogue.class.getResourceAsStream("/mig/mig_profiles.csv")) {
            if (in == null) {
                throw new IllegalStateException("resource mig/mig_profiles.csv is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = reader.readLine();
            List<String> columns = Arrays.asList(header.split(",", -1));
            Map<String, Map<String, MigProfile>> byModel = new LinkedHashMap<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                String model = f[columns.indexOf("gpu_model")];
                Map<String, MigProfile> profiles = byModel.computeIfAbsent(model, m -> new LinkedHashMap<>());
                List<Integer> starts = new ArrayList<>();
                for (String s : f[columns.indexOf("placements_start_memslice")].split("\\|")) {
                    starts.add(Integer.parseInt(s.trim()));
                }
                MigProfile profile = new MigProfile(model, f[columns.indexOf("profile")], profiles.size(),
                        Integer.parseInt(f[columns.indexOf("compute_slices")]),
                        Integer.parseInt(f[columns.indexOf("memory_slices_of_8")]),
                        Integer.parseInt(f[columns.indexOf("max_instances")]),
                        List.copyOf(starts),
                        Integer.parseInt(f[columns.indexOf("placement_size_memslices")]),
                        "yes".equals(f[columns.indexOf("media_ext")]));
                profiles.put(profile.name(), profile);
            }
            byModel.replaceAll((k, v) -> Collections.unmodifiableMap(v));
            return new MigCatalogue(Collections.unmodifiableMap(byModel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
