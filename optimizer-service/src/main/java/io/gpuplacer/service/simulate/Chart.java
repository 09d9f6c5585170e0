package io.gpuplacer.service.simulate;

import java.util.List;
import java.util.Locale;

/** A line chart of allocation ratio against arrived demand, like the FGD paper's figure, as SVG. */
final class Chart {

    record Line(String label, double[] values, boolean dashed) {
    }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
            "#7f7f7f", "#17becf"};

    private Chart() {
    }

    static String svg(String title, List<Line> lines) {
        int width = 760;
        int height = 480;
        int left = 60;
        int right = 190;
        int top = 40;
        int bottom = 50;
        double yMin = 50;
        double yMax = 100;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", left,
                escape(title)));
        for (int k = 0; k <= 130; k += 10) {
            double x = left + plotW * k / 130.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, top, x, top + plotH, x,
                    top + plotH + 16, k));
        }
        for (int v = (int) yMin; v <= yMax; v += 10) {
            double y = top + plotH * (1 - (v - yMin) / (yMax - yMin));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>%n", left, y, left + plotW, y, left - 6,
                    y + 4, v));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">arrived GPU demand "
                + "(%% of capacity)</text>%n", left + plotW / 2, height - 12));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">"
                + "GPU allocation ratio (%%)</text>%n", top + plotH / 2));
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int k = 0; k < line.values().length; k++) {
                double v = Math.max(yMin, Math.min(yMax, line.values()[k]));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + plotW * k / 130.0,
                        top + plotH * (1 - (v - yMin) / (yMax - yMin))));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
                    + "points=\"%s\"/>%n", colour, line.dashed() ? " stroke-dasharray=\"6,4\"" : "", points.toString()
                    .trim()));
            double ly = top + 14 + 18 * i;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"2\"%s/><text x=\"%d\" y=\"%.1f\">%s</text>%n", width - right + 10, ly,
                    width - right + 34, ly, colour, line.dashed() ? " stroke-dasharray=\"6,4\"" : "",
                    width - right + 40, ly + 4, escape(line.label())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
