package io.gpuplacer.service.capacity;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A capacity plan as an SVG chart, one panel per series: the history's weekly peaks (dots) and means (line), the
 * months ahead as a band from the forecast mean to the forecast peak, the capacity in place (a step line) and each
 * purchase's arrival (a triangle). Text is escaped: ids come from the cluster's own documents.
 */
public final class CapacityChart {

    static final int WIDTH = 960;
    static final int PANEL = 300;
    static final int LEFT = 64;
    static final int RIGHT = 24;
    static final int TOP = 48;

    private CapacityChart() {
    }

    public static String svg(CapacityPlan plan) {
        Map<String, List<CapacityPlan.WeekRow>> history = new LinkedHashMap<>();
        plan.history().forEach(w -> history.computeIfAbsent(w.zone() + " " + w.gpuModel(), k -> new ArrayList<>())
                .add(w));
        Map<String, List<CapacityPlan.ForecastRow>> ahead = new LinkedHashMap<>();
        plan.forecast().forEach(f -> ahead.computeIfAbsent(f.zone() + " " + f.gpuModel(), k -> new ArrayList<>())
                .add(f));
        int panels = Math.max(1, ahead.size());
        int height = TOP + panels * (PANEL + 40);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\""
                + "Capacity plan\">%n", WIDTH, height, WIDTH, height));
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">GPU "
                + "demand and capacity</text>%n", LEFT));
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"36\" fill=\"#555\">History: weekly p95 (dots), mean "
                + "(line), peak trend (dashed). Ahead: forecast mean-to-peak band, capacity in place (red), purchases "
                + "arriving (triangles).</text>%n", LEFT));
        int i = 0;
        for (Map.Entry<String, List<CapacityPlan.ForecastRow>> e : ahead.entrySet()) {
            panel(out, e.getKey(), history.getOrDefault(e.getKey(), List.of()), e.getValue(), plan, TOP + i * (PANEL
                    + 40));
            i++;
        }
        out.append("</svg>\n");
        return out.toString();
    }

    private static void panel(StringBuilder out, String title, List<CapacityPlan.WeekRow> weeks,
                              List<CapacityPlan.ForecastRow> months, CapacityPlan plan, int top) {
        Instant start = weeks.isEmpty() ? plan.asOf() : weeks.get(0).weekStart();
        YearMonth last = YearMonth.parse(months.get(months.size() - 1).month());
        Instant end = last.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        double max = 1;
        for (CapacityPlan.WeekRow w : weeks) {
            max = Math.max(max, w.peakGpus());
        }
        for (CapacityPlan.ForecastRow m : months) {
            max = Math.max(max, Math.max(m.peakGpus(), m.capacityGpus()));
        }
        max *= 1.1;
        Scale s = new Scale(start, end, max, top);
        out.append(String.format(Locale.ROOT, "<g><text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT,
                top + 14, escape(title)));
        // Axes and the y ticks.
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#444\"/>%n",
                LEFT, s.y(0), WIDTH - RIGHT, s.y(0)));
        for (int t = 0; t <= 4; t++) {
            double v = max * t / 4;
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n",
                    LEFT - 6, s.y(v) + 4, v));
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, s.y(v), WIDTH - RIGHT, s.y(v)));
        }
        // The forecast band, month by month: from the mean to the peak.
        for (CapacityPlan.ForecastRow m : months) {
            Instant from = monthStart(m, plan);
            Instant to = YearMonth.parse(m.month()).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#f4a261\" fill-opacity=\"0.35\"><title>%s: mean %.1f, peak %.1f GPUs</title></rect>%n",
                    s.x(from), s.y(m.peakGpus()), s.x(to) - s.x(from), Math.max(0, s.y(m.averageGpus())
                            - s.y(m.peakGpus())), escape(m.month()), m.averageGpus(), m.peakGpus()));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>%n",
                    s.x(from) + 2, s.y(0) + 14, escape(m.month())));
        }
        // The history: weekly means as a line, weekly peaks as dots.
        StringBuilder means = new StringBuilder();
        for (CapacityPlan.WeekRow w : weeks) {
            Instant mid = w.weekStart().plusSeconds(3600L * 84);
            means.append(String.format(Locale.ROOT, "%.1f,%.1f ", s.x(mid), s.y(w.meanGpus())));
            out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#264653\"><title>week "
                    + "of %s: p95 %.1f GPUs</title></circle>%n", s.x(mid), s.y(w.peakGpus()), w.weekStart(),
                    w.peakGpus()));
        }
        if (!weeks.isEmpty()) {
            out.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"#2a9d8f\" "
                    + "stroke-width=\"2\"/>%n", means.toString().strip()));
        }
        // The peak trend fitted to the weekly peaks, from the history's start to the plan's end (growth left out).
        for (CapacityPlan.FitRow fit : plan.fits()) {
            if (title.equals(fit.zone() + " " + fit.gpuModel())) {
                Instant from = fit.historyStart().isBefore(start) ? start : fit.historyStart();
                double w0 = (from.getEpochSecond() - fit.historyStart().getEpochSecond()) / (3600.0 * 168);
                double w1 = (end.getEpochSecond() - fit.historyStart().getEpochSecond()) / (3600.0 * 168);
                out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"#264653\" stroke-dasharray=\"6 4\"><title>peak trend: %+.2f GPUs a week, RMSE %.2f"
                        + "</title></line>%n", s.x(from), s.y(Math.max(0, fit.peakTrendAtStartGpus() + fit
                        .peakSlopeGpusPerWeek() * w0)), s.x(end), s.y(Math.max(0, fit.peakTrendAtStartGpus()
                        + fit.peakSlopeGpusPerWeek() * w1)), fit.peakSlopeGpusPerWeek(), fit.peakRmseGpus()));
            }
        }
        // The capacity in place, as a step per month.
        StringBuilder steps = new StringBuilder();
        for (CapacityPlan.ForecastRow m : months) {
            Instant from = monthStart(m, plan);
            Instant to = YearMonth.parse(m.month()).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            steps.append(String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f ", s.x(from), s.y(m.capacityGpus()), s.x(to),
                    s.y(m.capacityGpus())));
        }
        out.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"#e63946\" "
                + "stroke-width=\"2.5\"><title>capacity in place</title></polyline>%n", steps.toString().strip()));
        // Purchases: where they arrive.
        for (CapacityPlan.Purchase p : plan.purchases()) {
            if (!title.endsWith(" " + p.gpuModel())) {
                continue;
            }
            Instant at = p.arrives().isAfter(end) ? end : p.arrives();
            double x = s.x(at);
            double y = s.y(0) - 2;
            out.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"#e63946\">"
                    + "<title>%d x %s in %s, arrives %s (order by %s)</title></polygon>%n", x, y - 12, x - 7, y, x + 7,
                    y, p.count(), escape(p.nodeType()), escape(p.zone()), p.arrives(), p.orderBy()));
        }
        out.append("</g>\n");
    }

    private static Instant monthStart(CapacityPlan.ForecastRow m, CapacityPlan plan) {
        Instant first = YearMonth.parse(m.month()).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return first.isBefore(plan.asOf()) ? plan.asOf() : first;
    }

    /** Times to x, GPUs to y, within a panel. */
    private record Scale(Instant start, Instant end, double max, int top) {
        double x(Instant t) {
            double span = Math.max(1, end.getEpochSecond() - start.getEpochSecond());
            return LEFT + (WIDTH - LEFT - RIGHT) * (t.getEpochSecond() - start.getEpochSecond()) / span;
        }

        double y(double gpus) {
            return top + 24 + (PANEL - 24) * (1 - gpus / max);
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
