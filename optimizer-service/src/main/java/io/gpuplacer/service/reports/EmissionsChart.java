package io.gpuplacer.service.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hourly emissions stacked by one group as SVG, readable on its own: a title with the period and the total, kg
 * CO2e per hour on the y axis, days on the x axis, one colour per group (the eight largest; the rest as "other"),
 * a legend with each group's total, and the savings' counterfactual as a dashed line. The hours that rest mostly on
 * estimated intensity are marked under the axis.
 */
public final class EmissionsChart {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#17becf", "#7f7f7f"};
    private static final int MAX_SERIES = 8;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd").withZone(ZoneOffset.UTC);

    private EmissionsChart() {
    }

    /**
     * {@code report} grouped by (group, hour) or by hour alone ({@code group} null): its rows give kg CO2e per
     * group and hour; {@code countedByHour} is what the jobs its savings counted emitted per hour.
     */
    public static String svg(EmissionReport.Report report, String group, Map<Instant, Double> countedByHour) {
        Instant from = report.from().truncatedTo(ChronoUnit.HOURS);
        int hours = (int) Math.max(1, Math.min(24 * 400, Duration.between(from, report.to()).toHours()));
        Map<String, double[]> bySeries = new LinkedHashMap<>();
        double[] estimated = new double[hours];
        double[] all = new double[hours];
        for (Map<String, Object> row : report.rows()) {
            String name = group == null ? "total" : String.valueOf(row.get(group));
            int h = (int) Duration.between(from, Instant.parse((String) row.get("hour"))).toHours();
            if (h < 0 || h >= hours) {
                continue;
            }
            double kg = (Double) row.get("co2eKg");
            bySeries.computeIfAbsent(name, k -> new double[hours])[h] += kg;
            all[h] += kg;
            estimated[h] += kg * (Double) row.get("estimatedShare");
        }
        List<Map.Entry<String, double[]>> series = new ArrayList<>(bySeries.entrySet());
        series.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -sum(e.getValue())));
        if (series.size() > MAX_SERIES) {
            double[] other = new double[hours];
            for (Map.Entry<String, double[]> e : series.subList(MAX_SERIES, series.size())) {
                for (int h = 0; h < hours; h++) {
                    other[h] += e.getValue()[h];
                }
            }
            series = new ArrayList<>(series.subList(0, MAX_SERIES));
            series.add(Map.entry("other", other));
        }
        double[] counterfactual = counterfactualLine(report, from, all, countedByHour);
        double max = 0;
        for (int h = 0; h < hours; h++) {
            max = Math.max(max, Math.max(all[h], counterfactual == null ? 0 : counterfactual[h]));
        }
        double yMax = niceCeiling(max);
        int width = 960;
        int height = 480;
        int left = 70;
        int right = 210;
        int top = 50;
        int bottom = 60;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        double barW = (double) plotW / hours;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" "
                + "aria-labelledby=\"title\">%n", width, height, width, height));
        String title = String.format(Locale.ROOT, "Emissions per hour%s, %s to %s (UTC): %.1f kg CO2e",
                group == null ? "" : " by " + group, report.from(), report.to(), sum(all));
        svg.append("<title id=\"title\">").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", left,
                escape(title)));
        for (int k = 0; k <= 4; k++) {
            double y = top + plotH - plotH * k / 4.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, y, left + plotW, y, left - 6,
                    y + 4, label(yMax * k / 4)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
                + "text-anchor=\"middle\">kg CO2e per hour</text>%n", top + plotH / 2, top + plotH / 2));
        int step = Math.max(1, hours / 24 / 10 + 1) * 24;
        for (int h = 0; h < hours; h += step) {
            double x = left + h * barW;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", x, top + plotH + 30,
                    DAY.format(from.plus(h, ChronoUnit.HOURS))));
        }
        double[] base = new double[hours];
        for (int s = 0; s < series.size(); s++) {
            double[] v = series.get(s).getValue();
            String colour = COLOURS[Math.min(s, COLOURS.length - 1)];
            for (int h = 0; h < hours; h++) {
                if (v[h] <= 0 || yMax <= 0) {
                    continue;
                }
                double y0 = top + plotH - plotH * base[h] / yMax;
                double y1 = top + plotH - plotH * (base[h] + v[h]) / yMax;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                        + "fill=\"%s\"/>%n", left + h * barW, y1, Math.max(barW, 0.5), y0 - y1, colour));
                base[h] += v[h];
            }
            double ly = top + 14 + 18 * s;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%.1f\">%s: %.1f kg</text>%n", left + plotW + 16, ly - 10, colour,
                    left + plotW + 34, ly, escape(series.get(s).getKey()), sum(v)));
        }
        if (counterfactual != null && yMax > 0) {
            StringBuilder points = new StringBuilder();
            for (int h = 0; h < hours; h++) {
                double y = top + plotH - plotH * counterfactual[h] / yMax;
                points.append(String.format(Locale.ROOT, "%.2f,%.2f %.2f,%.2f ", left + h * barW, y,
                        left + (h + 1) * barW, y));
            }
            svg.append("<polyline fill=\"none\" stroke=\"black\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" "
                    + "points=\"").append(points.toString().strip()).append("\"/>\n");
            double ly = top + 14 + 18 * series.size();
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" "
                    + "stroke-dasharray=\"5 3\"/><text x=\"%d\" y=\"%.1f\">as first fit: %.1f kg</text>%n",
                    left + plotW + 16, ly - 4, left + plotW + 28, ly - 4, left + plotW + 34, ly, sum(counterfactual)));
        }
        for (int h = 0; h < hours; h++) {
            if (all[h] > 0 && estimated[h] / all[h] > 0.5) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"4\" "
                        + "fill=\"#999\"/>%n", left + h * barW, top + plotH + 4, Math.max(barW, 0.5)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">grey marks: hours resting "
                + "mostly on estimated intensity%s</text>%n", left, height - 12, counterfactual == null ? ""
                : "; dashed: the cluster had its counted jobs run as a carbon-agnostic first fit at earliest start"));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /**
     * Per hour what the cluster would have emitted had the jobs the savings count run as the counterfactual: the
     * actual total less those jobs' actual rows plus their counterfactual; null when the savings count no job.
     */
    private static double[] counterfactualLine(EmissionReport.Report report, Instant from, double[] all,
                                               Map<Instant, Double> countedByHour) {
        Savings.Result r = report.savingsResult();
        if (r == null || r.jobs() == 0) {
            return null;
        }
        double[] line = all.clone();
        countedByHour.forEach((hour, kg) -> add(line, from, hour, -kg));
        r.counterfactualByHour().forEach((hour, kg) -> add(line, from, hour, kg));
        for (int h = 0; h < line.length; h++) {
            line[h] = Math.max(0, line[h]); // rounding of sums, never a real negative
        }
        return line;
    }

    private static void add(double[] line, Instant from, Instant hour, double kg) {
        long h = Duration.between(from, hour).toHours();
        if (h >= 0 && h < line.length) {
            line[(int) h] += kg;
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
