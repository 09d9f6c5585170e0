package io.gpuplacer.service.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real hourly grid series for the carbon benchmark (resource {@code grid/seasons-2024.csv}, cut by
 * {@code tools/make_grid_seasons.py}): four 72-hour windows of 2024 (winter, spring, summer, autumn) for DE-LU,
 * US-CAL-CISO and US-TEX-ERCO, Electricity Maps carbon intensity (LCA) and wholesale prices.
 */
public final class GridSeasons {

    private static final Map<String, Double> PUE = Map.of("DE-LU", 1.2, "US-CAL-CISO", 1.15, "US-TEX-ERCO", 1.3);

    private GridSeasons() {
    }

    /** Season name to grid, in file order. */
    public static Map<String, ProblemGenerator.Grid> load() {
        Map<String, Map<String, List<double[]>>> rows = new LinkedHashMap<>();
        Map<String, Instant> starts = new LinkedHashMap<>();
        try (InputStream in = GridSeasons.class.getResourceAsStream("/grid/seasons-2024.csv")) {
            if (in == null) {
                throw new IllegalStateException("resource grid/seasons-2024.csv is missing from the jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine();
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split(",");
                starts.putIfAbsent(f[0], Instant.parse(f[2]));
                rows.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new ArrayList<>())
                        .add(new double[]{Double.parseDouble(f[3]), Double.parseDouble(f[4])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, ProblemGenerator.Grid> out = new LinkedHashMap<>();
        rows.forEach((season, zones) -> {
            Map<String, double[]> carbon = new LinkedHashMap<>();
            Map<String, double[]> price = new LinkedHashMap<>();
            zones.forEach((zone, points) -> {
                carbon.put(zone, points.stream().mapToDouble(p -> p[0]).toArray());
                price.put(zone, points.stream().mapToDouble(p -> p[1]).toArray());
            });
            List<String> ids = List.copyOf(zones.keySet());
            out.put(season, new ProblemGenerator.Grid(starts.get(season), ids, ids.stream().map(PUE::get).toList(),
                    carbon, price));
        });
        return out;
    }
}
