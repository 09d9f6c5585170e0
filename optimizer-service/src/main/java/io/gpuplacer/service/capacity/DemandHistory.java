package io.gpuplacer.service.capacity;

import io.gpuplacer.model.interchange.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hourly GPU demand of a fleet, per grid zone and GPU model: the CSV {@code hour,zone,gpuModel,usedGpus,
 * pendingGpus} (GPU share in use, and asked for but not placed), as {@code report --format history} writes it from
 * the ledger. Demand is used plus pending. Hours missing inside a series are left out of its statistics and said.
 */
public final class DemandHistory {

    public static final String HEADER = "hour,zone,gpuModel,usedGpus,pendingGpus";

    /** A (zone, GPU model) series. */
    public record Key(String zone, String gpuModel) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = zone.compareTo(o.zone);
            return c != 0 ? c : gpuModel.compareTo(o.gpuModel);
        }

        @Override
        public String toString() {
            return zone + " " + gpuModel;
        }
    }

    /**
     * One series: its first hour and the demand of each hour from it (NaN where the history has no row), with the
     * GPUs in use and pending apart.
     */
    public record Series(Key key, Instant start, double[] used, double[] pending) {
        public double demand(int hour) {
            return used[hour] + pending[hour];
        }

        public int hours() {
            return used.length;
        }
    }

    private final Map<Key, Series> series;
    private final List<String> warnings;

    private DemandHistory(Map<Key, Series> series, List<String> warnings) {
        this.series = series;
        this.warnings = warnings;
    }

    public Map<Key, Series> series() {
        return series;
    }

    /** What of the history was taken with a caveat (gaps). */
    public List<String> warnings() {
        return warnings;
    }

    /** Reads the CSV; {@code name} names it in errors ({@code history.csv line 12: usedGpus: -1 must be >= 0}). */
    public static DemandHistory read(Reader in, String name) throws InputException, IOException {
        BufferedReader lines = new BufferedReader(in);
        String header = lines.readLine();
        if (header == null || !header.strip().replace(" ", "").equals(HEADER)) {
            throw new InputException("header", header, name + " line 1: the header must be \"" + HEADER + "\", not "
                    + (header == null ? "an empty file" : "\"" + shortened(header) + "\""));
        }
        Map<Key, TreeMap<Instant, double[]>> rows = new TreeMap<>();
        String line;
        int number = 1;
        while ((line = lines.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            String at = name + " line " + number;
            if (f.length != 5) {
                throw new InputException("line " + number, shortened(line), at + ": " + f.length + " fields, "
                        + "expected 5 (" + HEADER + ")");
            }
            Instant hour = hour(f[0].strip(), at);
            String zone = text(f[1].strip(), "zone", at);
            String model = text(f[2].strip(), "gpuModel", at);
            double used = amount(f[3].strip(), "usedGpus", at);
            double pending = amount(f[4].strip(), "pendingGpus", at);
            if (rows.computeIfAbsent(new Key(zone, model), k -> new TreeMap<>()).put(hour,
                    new double[] {used, pending}) != null) {
                throw new InputException("hour", f[0], at + ": hour " + hour + " of " + zone + " " + model
                        + " is given twice");
            }
        }
        if (rows.isEmpty()) {
            throw new InputException("rows", null, name + ": no rows after the header (one per hour, zone and GPU "
                    + "model is needed)");
        }
        Map<Key, Series> out = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<Key, TreeMap<Instant, double[]>> e : rows.entrySet()) {
            Instant first = e.getValue().firstKey();
            int hours = (int) ChronoUnit.HOURS.between(first, e.getValue().lastKey()) + 1;
            double[] used = new double[hours];
            double[] pending = new double[hours];
            java.util.Arrays.fill(used, Double.NaN);
            java.util.Arrays.fill(pending, Double.NaN);
            e.getValue().forEach((h, v) -> {
                int i = (int) ChronoUnit.HOURS.between(first, h);
                used[i] = v[0];
                pending[i] = v[1];
            });
            int missing = hours - e.getValue().size();
            if (missing > 0) {
                warnings.add(String.format(java.util.Locale.ROOT, "%s: %s %s has no row for %d of its %d hours "
                        + "(first missing: %s); they are left out of its peaks and means", name, e.getKey().zone(),
                        e.getKey().gpuModel(), missing, hours, firstMissing(first, used)));
            }
            out.put(e.getKey(), new Series(e.getKey(), first, used, pending));
        }
        return new DemandHistory(Map.copyOf(out), List.copyOf(warnings));
    }

    /** A history made in code (tests, the service's ledger). */
    public static DemandHistory of(Map<Key, Series> series) {
        return new DemandHistory(Map.copyOf(series), List.of());
    }

    private static Instant firstMissing(Instant first, double[] used) {
        for (int i = 0; i < used.length; i++) {
            if (Double.isNaN(used[i])) {
                return first.plus(i, ChronoUnit.HOURS);
            }
        }
        return null;
    }

    private static Instant hour(String text, String at) throws InputException {
        try {
            Instant h = Instant.parse(text);
            if (!h.truncatedTo(ChronoUnit.HOURS).equals(h)) {
                throw new InputException("hour", text, at + ": hour " + text + " must be on a whole hour");
            }
            return h;
        } catch (DateTimeParseException e) {
            throw new InputException("hour", shortened(text), at + ": hour \"" + shortened(text) + "\" is not an "
                    + "instant like 2026-11-02T13:00:00Z");
        }
    }

    private static String text(String value, String field, String at) throws InputException {
        if (value.isEmpty()) {
            throw new InputException(field, value, at + ": " + field + " is empty");
        }
        return value;
    }

    private static double amount(String value, String field, String at) throws InputException {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InputException(field, shortened(value), at + ": " + field + " \"" + shortened(value)
                    + "\" is not a number");
        }
        if (!(v >= 0) || Double.isInfinite(v) || v > 1e7) {
            throw new InputException(field, value, at + ": " + field + " " + value + " must be 0..10000000 (GPUs)");
        }
        return v;
    }

    private static String shortened(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
