package io.gpuplacer.service.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.model.interchange.AtomicFiles;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.reports.EmissionReport;
import io.gpuplacer.service.reports.ReportCsv;
import io.gpuplacer.service.reports.ReportQuery;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;

/** {@code report}: the emission report of the service's ledger, as {@code GET /v1/reports/emissions} gives it. */
@CommandLine.Command(name = "report", header = "Emission report from the ledger of the service's database.",
        description = "Reads the database 'serve' uses (DATASOURCES_DEFAULT_URL, else ./data); the same rows, groups "
                + "and figures as GET /v1/reports/emissions (docs/reports.md).")
final class ReportCommand extends Command {

    @CommandLine.Option(names = "--from", required = true, paramLabel = "INSTANT",
            description = "Start, inclusive, e.g. 2026-11-01T00:00:00Z.")
    String from;

    @CommandLine.Option(names = "--to", required = true, paramLabel = "INSTANT", description = "End, exclusive.")
    String to;

    @CommandLine.Option(names = "--group-by", paramLabel = "G[,G..]", description = "Any of team, queue, job, zone, "
            + "node, gpuModel, hour, day, month (none: the totals only).")
    String groupBy;

    @CommandLine.Option(names = "--format", defaultValue = "csv", description = "csv or json (default "
            + "${DEFAULT-VALUE}); or history: capacity planning's hourly demand per zone and GPU model (capacity-plan "
            + "--history).")
    String format;

    @CommandLine.Option(names = "--out", paramLabel = "F", description = "Write here (atomically); default: "
            + "standard output.")
    Path outFile;

    @Override
    int execute() throws UsageException, InputException, IOException {
        ReportQuery query = ReportQuery.read(from, to, groupBy);
        if (!format.equals("csv") && !format.equals("json") && !format.equals("history")) {
            throw new UsageException("report: --format " + format + " is not csv, json or history");
        }
        if (format.equals("history") && groupBy != null) {
            throw new UsageException("report: --format history is by hour, zone and GPU model: --group-by does not "
                    + "apply");
        }
        String text;
        try (ApplicationContext context = TokenCommand.database("report", "read the report over HTTP "
                + "(GET /v1/reports/emissions)")) {
            if (format.equals("history")) {
                text = io.gpuplacer.service.capacity.HistoryCsv.of(context.getBean(
                        io.gpuplacer.service.persistence.DemandHistoryReader.class).rows(query.from(), query.to()));
            } else {
                EmissionReport.Report report = context.getBean(EmissionReport.class).run(query);
                text = format.equals("csv") ? ReportCsv.of(report)
                        : context.getBean(ObjectMapper.class).writerWithDefaultPrettyPrinter()
                        .writeValueAsString(report) + "\n";
            }
        }
        if (outFile == null) {
            out.print(text);
        } else {
            AtomicFiles.writeString(outFile, text);
            err.println("report: wrote " + outFile);
        }
        return 0;
    }
}
