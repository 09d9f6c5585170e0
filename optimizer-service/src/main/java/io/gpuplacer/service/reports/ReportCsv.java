package io.gpuplacer.service.reports;

import java.util.List;
import java.util.Map;

/** An emission report as CSV (RFC 4180), with text cells a spreadsheet would run as formulas neutralised. */
public final class ReportCsv {

    private ReportCsv() {
    }

    /** The report as CSV: group columns first, then the figures with their units in the column names. */
    public static String of(EmissionReport.Report report) {
        StringBuilder out = new StringBuilder();
        for (String g : report.groupBy()) {
            out.append(g).append(',');
        }
        boolean embodied = !report.rows().isEmpty() && report.rows().get(0).containsKey("embodiedCo2eKg");
        out.append("energy_kwh,co2e_kg,cost_usd,gpu_hours,estimated_share,measured_share,power_measured_share")
                .append(embodied ? ",embodied_co2e_kg,sci_kg_per_gpu_hour\n" : "\n");
        for (Map<String, Object> row : report.rows()) {
            for (String g : report.groupBy()) {
                out.append(cell((String) row.get(g))).append(',');
            }
            out.append(String.join(",", List.of(num(row.get("energyKWh")), num(row.get("co2eKg")),
                    num(row.get("costUsd")), num(row.get("gpuHours")), num(row.get("estimatedShare")),
                    num(row.get("measuredShare")), num(row.get("powerMeasuredShare")))));
            if (embodied) {
                out.append(',').append(num(row.get("embodiedCo2eKg"))).append(',')
                        .append(row.get("sciKgPerGpuHour") == null ? "" : num(row.get("sciKgPerGpuHour")));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String num(Object v) {
        return Double.toString((Double) v);
    }

    /**
     * A text cell (RFC 4180). A name a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a
     * carriage return: a team named {@code =HYPERLINK(...)}) is prefixed with a single quote and quoted, as OWASP's
     * CSV injection advice says.
     */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        boolean formula = !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0;
        String text = formula ? "'" + v : v;
        return formula || text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
