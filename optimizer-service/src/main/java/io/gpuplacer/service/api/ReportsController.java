package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.reports.EmissionReport;
import io.gpuplacer.service.reports.ReportCsv;
import io.gpuplacer.service.reports.ReportQuery;
import io.gpuplacer.service.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Emission reports from the ledger, for sustainability teams. */
@AuthResponses
@Controller("/v1/reports")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "reports")
public class ReportsController {

    private final EmissionReport reports;
    private final io.gpuplacer.service.reports.QueueReport queues;

    public ReportsController(EmissionReport reports, io.gpuplacer.service.reports.QueueReport queues) {
        this.reports = reports;
        this.queues = queues;
    }

    @Operation(summary = "Energy, CO2e and cost of what ran in [from, to), summed by groupBy (team, queue, job, zone, "
            + "node, gpuModel, hour, day, month; any combination), as JSON or CSV")
    @ApiResponse(responseCode = "200", description = "the report", content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = EmissionReport.Report.class)),
            @Content(mediaType = "text/csv", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.REPORTER, Roles.OPERATOR, Roles.ADMIN})
    @Get(uri = "/emissions", produces = {MediaType.APPLICATION_JSON, "text/csv"})
    public HttpResponse<?> emissions(@Nullable @QueryValue String from, @Nullable @QueryValue String to,
                                     @Nullable @QueryValue String groupBy, @Nullable @QueryValue String format)
            throws InputException {
        ReportQuery query = ReportQuery.read(from, to, groupBy);
        String f = format == null || format.isBlank() ? "json" : format;
        if (!f.equals("json") && !f.equals("csv")) {
            throw new InputException("format", format, "format: \"" + format + "\" is not json or csv");
        }
        EmissionReport.Report report = reports.run(query);
        return f.equals("csv") ? HttpResponse.ok(ReportCsv.of(report)).contentType("text/csv")
                : HttpResponse.ok(report).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Operation(summary = "Hourly emissions stacked by the first group of groupBy (team, queue, job, zone, node or "
            + "gpuModel; none: the total), as SVG")
    @ApiResponse(responseCode = "200", description = "the chart", content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.REPORTER, Roles.OPERATOR, Roles.ADMIN})
    @Get(uri = "/emissions/chart.svg", produces = "image/svg+xml")
    public HttpResponse<String> chart(@Nullable @QueryValue String from, @Nullable @QueryValue String to,
                                      @Nullable @QueryValue String groupBy) throws InputException {
        String first = groupBy == null || groupBy.isBlank() ? null : groupBy.strip().split("\\s*,\\s*", -1)[0];
        if (first != null && !EmissionReport.groupable(first)) {
            throw new InputException("groupBy", groupBy, "groupBy: the chart stacks by team, queue, job, zone, node "
                    + "or gpuModel (hours are its x axis), not \"" + first + "\"");
        }
        ReportQuery query = ReportQuery.read(from, to, first == null ? "hour" : first + ",hour");
        EmissionReport.Report report = reports.run(query);
        return HttpResponse.ok(io.gpuplacer.service.reports.EmissionsChart.svg(report, first,
                reports.countedCo2eByHour(report))).contentType("image/svg+xml");
    }

    @Operation(summary = "The teams' queues over [from, to): per queue GPU-hours used against nominal GPU-hours (quota "
            + "use), borrowed and lent GPU-hours, energy and CO2e, preemptions and lost GPU-hours, and the wait from "
            + "arrival to start (mean, p95)")
    @ApiResponse(responseCode = "200", description = "the report", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = io.gpuplacer.service.reports.QueueReport.Report.class)))
    @ApiResponse(responseCode = "400", description = ErrorResponses.BAD_INPUT, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @Secured({Roles.REPORTER, Roles.OPERATOR, Roles.ADMIN})
    @Get(uri = "/queues", produces = MediaType.APPLICATION_JSON)
    public io.gpuplacer.service.reports.QueueReport.Report queues(@Nullable @QueryValue String from,
                                                                  @Nullable @QueryValue String to)
            throws InputException {
        return queues.run(ReportQuery.read(from, to, null));
    }
}
