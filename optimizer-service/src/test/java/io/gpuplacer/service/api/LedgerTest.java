package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The emission ledger through the API: snapshots PUT with observedAt hours apart, the intervals between them
 * recorded hour by hour at the signals' intensity, reported by group as JSON and CSV; the figures are worked out
 * here from the node facts, apart from the service's code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerTest {

    private static TestDatabase.Credentials db;
    private static TestService service;
    /** Six hours ago, on the hour: the first snapshot. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        service = new TestService(db, Map.of());
        // Carbon 100 + h g/kWh in hour h after T0 (hour 2 estimated), price 50 USD/MWh; from T0 to a day ahead.
        ObjectNode signals = TestSignals.hourly(T0, 36, "test-grid", (zone, h) -> (zone.equals("A") ? 100 : 400) + h,
                (zone, h) -> 50, h -> h == 2, "A", "B");
        assertThat(service.put("/v1/cluster", cluster(T0, true).toString()).status()).isEqualTo(200);
        assertThat(service.put("/v1/signals", signals.toString()).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    /**
     * Zone A (PUE 1.5): g1 with a training task (2 GPUs at 0.5) and, when {@code withWeb}, a shared one (500 milli
     * at 0.8); zone B (PUE 1.2): an alwaysOn idle node and a node that is off.
     */
    static ObjectNode cluster(Instant observedAt, boolean withWeb) {
        String web = withWeb ? """
                ,{"job": "web", "task": 0, "node": "g1", "gpus": [2], "remainingHours": 50, "team": "web", "priority": 10,
                  "gpu": {"kind": "SHARED", "milli": 500}, "cpuMillis": 2000, "memoryMiB": 4096, "utilization": 0.8}
                """ : "";
        return read("""
                {"observedAt": "%s",
                 "zones": [{"id": "A", "pue": 1.5}, {"id": "B", "pue": 1.2}],
                 "nodes": [
                  {"id": "g1", "zone": "A", "gpuModel": "H100-80GB", "gpuCount": 4, "cpuMillis": 64000,
                   "memoryMiB": 524288, "costPerHour": 10.0, "baseWatts": 400, "gpuBusyWatts": 300},
                  {"id": "idle", "zone": "B", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 16000, "memoryMiB": 65536,
                   "costPerHour": 0.5, "baseWatts": 200, "gpuBusyWatts": 50, "alwaysOn": true},
                  {"id": "off", "zone": "B", "gpuModel": "T4", "gpuCount": 2, "cpuMillis": 16000, "memoryMiB": 65536,
                   "costPerHour": 0.5, "baseWatts": 200, "gpuBusyWatts": 50}],
                 "running": [
                  {"job": "train", "task": 0, "node": "g1", "gpus": [0, 1], "remainingHours": 50, "team": "nlp",
                   "priority": 10, "gpu": {"kind": "WHOLE", "count": 2}, "cpuMillis": 8000, "memoryMiB": 8192,
                   "utilization": 0.5}%s]}
                """.formatted(observedAt, web));
    }

    private static ObjectNode read(String json) {
        try {
            return (ObjectNode) TestService.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode report(String groupBy) {
        TestService.Reply r = service.get("/v1/reports/emissions?from=" + T0 + "&to=" + T0.plus(12, ChronoUnit.HOURS)
                + (groupBy == null ? "" : "&groupBy=" + groupBy));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode row(JsonNode report, Map<String, String> group) {
        for (JsonNode row : report.get("rows")) {
            if (group.entrySet().stream().allMatch(e -> row.path(e.getKey()).asText().equals(e.getValue()))) {
                return row;
            }
        }
        throw new AssertionError("no row " + group + " in " + report.get("rows"));
    }

    // Worked out by hand: g1 with both tasks draws (400 + 300 + 120) W x 1.5 = 1.23 kW; with train alone
    // (400 + 300) x 1.5 = 1.05 kW; idle draws 200 x 1.2 = 0.24 kW; off draws nothing.

    @Test
    @Order(1)
    void theIntervalBetweenTwoSnapshotsIsRecordedHourByHour() {
        JsonNode first = report(null); // one snapshot: nothing has run between snapshots yet
        assertThat(first.get("rows")).isEmpty();
        // Instants as the interchange writes them, not epoch seconds (Jackson's default, which the service had).
        assertThat(first.get("from").asText()).isEqualTo(T0.toString());
        assertThat(service.get("/v1/state/versions?kind=cluster").json().get(0).get("createdAt").asText())
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        assertThat(first.get("totals").get("energyKWh").asDouble()).isZero();
        assertThat(service.put("/v1/cluster", cluster(T0.plus(90, ChronoUnit.MINUTES), true).toString()).status())
                .isEqualTo(200);
        JsonNode byHour = report("hour,node");
        JsonNode g1First = row(byHour, Map.of("hour", T0.toString(), "node", "g1"));
        assertThat(g1First.get("energyKWh").asDouble()).isCloseTo(1.23, within(1e-9));
        assertThat(g1First.get("co2eKg").asDouble()).isCloseTo(1.23 * 100 / 1000, within(1e-9));
        assertThat(g1First.get("costUsd").asDouble()).isCloseTo(1.23 * 50 / 1000 + 10, within(1e-9));
        assertThat(g1First.get("gpuHours").asDouble()).isCloseTo(2.5, within(1e-9));
        JsonNode g1Half = row(byHour, Map.of("hour", T0.plus(1, ChronoUnit.HOURS).toString(), "node", "g1"));
        assertThat(g1Half.get("energyKWh").asDouble()).isCloseTo(1.23 / 2, within(1e-9));
        assertThat(g1Half.get("co2eKg").asDouble()).isCloseTo(1.23 / 2 * 101 / 1000, within(1e-9));
        JsonNode idle = row(byHour, Map.of("hour", T0.toString(), "node", "idle"));
        assertThat(idle.get("energyKWh").asDouble()).isCloseTo(0.24, within(1e-9));
        assertThat(idle.get("co2eKg").asDouble()).isCloseTo(0.24 * 400 / 1000, within(1e-9));
        assertThat(byHour.get("rows")).noneMatch(r -> r.get("node").asText().equals("off"));
        // Conservation: the rows of each hour add up to the cluster's total drawn then.
        JsonNode total = report(null).get("totals");
        assertThat(total.get("energyKWh").asDouble()).isCloseTo(1.5 * (1.23 + 0.24), within(1e-9));
        JsonNode byTeam = report("team");
        double teams = 0;
        for (JsonNode r : byTeam.get("rows")) {
            teams += r.get("energyKWh").asDouble();
        }
        assertThat(teams).isCloseTo(total.get("energyKWh").asDouble(), within(1e-9));
        assertThat(row(byTeam, Map.of("team", "unallocated")).get("energyKWh").asDouble())
                .isCloseTo(1.5 * 0.24, within(1e-9));
        // train: 300 W busy + 400 x 2/2.5 W base, x 1.5, for 1.5 h
        assertThat(row(byTeam, Map.of("team", "nlp")).get("energyKWh").asDouble())
                .isCloseTo((300 + 320) * 1.5 * 1.5 / 1000, within(1e-9));
        assertThat(byTeam.get("method").get("intensityProviders")).extracting(JsonNode::asText)
                .containsExactly("test-grid");
        // The same as counters for dashboards: 1.395 kWh is 5,022,000 J.
        String metrics = service.get("/prometheus").text();
        assertThat(counter(metrics, "gpuplacer_energy_joules_total{team=\"nlp\",zone=\"A\"}"))
                .isCloseTo(1.395 * 3.6e6, within(1e-3));
        assertThat(counter(metrics, "gpuplacer_emissions_grams_total{team=\"unallocated\",zone=\"B\"}"))
                .isCloseTo(0.24 * 400 + 0.12 * 401, within(1e-6)); // an hour at 400 g, half an hour at 401 g
    }

    private static double counter(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(series.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series));
    }

    @Test
    @Order(2)
    void snapshotsOutOfOrderOrFromTheFutureAreRefusedAndChangeNothing() {
        String before = report(null).get("totals").toString();
        TestService.Reply older = service.put("/v1/cluster", cluster(T0.plus(60, ChronoUnit.MINUTES), true).toString());
        assertThat(older.status()).isEqualTo(409);
        assertThat(older.json().get("field").asText()).isEqualTo("observedAt");
        assertThat(older.json().get("error").asText()).contains("before the newest snapshot recorded");
        TestService.Reply ahead = service.put("/v1/cluster", cluster(Instant.now().plus(10, ChronoUnit.MINUTES), true)
                .toString());
        assertThat(ahead.status()).isEqualTo(400);
        assertThat(ahead.json().get("field").asText()).isEqualTo("observedAt");
        ObjectNode bad = cluster(T0, true);
        bad.put("observedAt", "yesterday");
        assertThat(service.put("/v1/cluster", bad.toString()).json().get("error").asText())
                .contains("not an ISO-8601 UTC instant");
        bad.put("observedAt", "0001-01-01T00:00:00Z"); // before what DATETIME holds: a 400, not a failed insert
        TestService.Reply ancient = service.put("/v1/cluster", bad.toString());
        assertThat(ancient.status()).isEqualTo(400);
        assertThat(ancient.json().get("field").asText()).isEqualTo("observedAt");
        assertThat(report(null).get("totals").toString()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aLongerIntervalCountsTwoHoursAndRecordsTheRestAsAGapAndEstimatesAreShown() {
        // From T0 + 1.5 h to T0 + 4.5 h: 2 hours run (1.5..3.5), 1 hour is a gap; then the web task stops.
        assertThat(service.put("/v1/cluster", cluster(T0.plus(270, ChronoUnit.MINUTES), false).toString())
                .status()).isEqualTo(200);
        JsonNode total = report(null);
        assertThat(total.get("gaps").get("count").asInt()).isEqualTo(1);
        assertThat(total.get("gaps").get("hours").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(total.get("totals").get("energyKWh").asDouble()).isCloseTo(3.5 * (1.23 + 0.24), within(1e-9));
        JsonNode byHour = report("hour");
        // Hour 2 rests on an estimated intensity: all of its CO2e; hour 3 on a measured one.
        assertThat(row(byHour, Map.of("hour", T0.plus(2, ChronoUnit.HOURS).toString())).get("estimatedShare")
                .asDouble()).isEqualTo(1.0);
        assertThat(row(byHour, Map.of("hour", T0.plus(3, ChronoUnit.HOURS).toString())).get("estimatedShare")
                .asDouble()).isZero();
        assertThat(row(byHour, Map.of("hour", T0.plus(3, ChronoUnit.HOURS).toString())).get("energyKWh").asDouble())
                .isCloseTo((1.23 + 0.24) / 2, within(1e-9)); // 3:00..3:30 only
        // After the last snapshot, train alone: (400 + 300) x 1.5 kW from T0 + 4.5 h on, once the next arrives.
        assertThat(service.put("/v1/cluster", cluster(T0.plus(300, ChronoUnit.MINUTES), false).toString())
                .status()).isEqualTo(200);
        assertThat(row(report("hour,node"), Map.of("hour", T0.plus(4, ChronoUnit.HOURS).toString(), "node", "g1"))
                .get("energyKWh").asDouble()).isCloseTo(1.05 / 2, within(1e-9));
    }

    @Test
    @Order(4)
    void csvSaysWhatJsonSaysAndBadQueriesNameTheirField() {
        JsonNode json = report("team,zone");
        TestService.Reply csv = service.get("/v1/reports/emissions?from=" + T0 + "&to=" + T0.plus(12, ChronoUnit.HOURS)
                + "&groupBy=team,zone&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        List<String> lines = csv.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("team,zone,energy_kwh,co2e_kg,cost_usd,gpu_hours,estimated_share,"
                + "measured_share,power_measured_share");
        assertThat(lines).hasSize(json.get("rows").size() + 1);
        for (int i = 0; i < json.get("rows").size(); i++) {
            JsonNode row = json.get("rows").get(i);
            String[] cells = lines.get(i + 1).split(",");
            assertThat(cells[0]).isEqualTo(row.get("team").asText());
            assertThat(cells[1]).isEqualTo(row.get("zone").asText());
            assertThat(Double.parseDouble(cells[2])).isEqualTo(row.get("energyKWh").asDouble());
            assertThat(Double.parseDouble(cells[3])).isEqualTo(row.get("co2eKg").asDouble());
            assertThat(Double.parseDouble(cells[4])).isEqualTo(row.get("costUsd").asDouble());
            assertThat(Double.parseDouble(cells[5])).isEqualTo(row.get("gpuHours").asDouble());
        }
        for (String[] bad : new String[][]{{"from=x&to=" + T0, "from"}, {"to=" + T0, "from"},
                {"from=" + T0 + "&to=" + T0, "to"}, {"from=" + T0 + "&to=" + T0.plusSeconds(60) + "&groupBy=rack",
                "groupBy"}, {"from=" + T0 + "&to=" + T0.plusSeconds(60) + "&format=xml", "format"}}) {
            TestService.Reply r = service.get("/v1/reports/emissions?" + bad[0]);
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.json().get("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
    }

    @Test
    @Order(5)
    void theChartStacksTheHoursByTheFirstGroupAndReadsWithoutTheJson() throws Exception {
        String range = "from=" + T0 + "&to=" + T0.plus(12, ChronoUnit.HOURS);
        JsonNode byTeamHour = report("team,hour");
        TestService.Reply chart = service.get("/v1/reports/emissions/chart.svg?" + range + "&groupBy=team");
        assertThat(chart.status()).isEqualTo(200);
        org.w3c.dom.Document svg = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(chart.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        String total = String.format(java.util.Locale.ROOT, "%.1f kg CO2e", report(null).get("totals").get("co2eKg")
                .asDouble());
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent()).contains("by team", total);
        assertThat(chart.text()).contains(">nlp: ", ">web: ", ">unallocated: ", "kg CO2e per hour");
        // One bar per team and hour with emissions, plus the legend's squares and the estimated marks.
        long bars = 0;
        for (JsonNode row : byTeamHour.get("rows")) {
            bars += row.get("co2eKg").asDouble() > 0 ? 1 : 0;
        }
        int rects = svg.getElementsByTagName("rect").getLength();
        long estimatedHours = 1; // hour 2
        assertThat(rects).isEqualTo(1 + bars + 3 + estimatedHours); // background, bars, legend, marks
        TestService.Reply byHour = service.get("/v1/reports/emissions/chart.svg?" + range + "&groupBy=hour");
        assertThat(byHour.status()).isEqualTo(400);
        assertThat(byHour.json().get("field").asText()).isEqualTo("groupBy");
    }

    @Test
    @Order(6)
    void theReportCommandReadsTheSameLedger() throws Exception {
        JsonNode api = report("team,day");
        ChildService.CliRun run = ChildService.cli(db, "report", "--from", T0.toString(), "--to",
                T0.plus(12, ChronoUnit.HOURS).toString(), "--group-by", "team,day", "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode cli = TestService.JSON.readTree(run.out());
        assertThat(cli.get("rows")).isEqualTo(api.get("rows"));
        assertThat(cli.get("totals")).isEqualTo(api.get("totals"));
        ChildService.CliRun bad = ChildService.cli(db, "report", "--from", "soon", "--to", T0.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("from: \"soon\" is not an ISO-8601 UTC instant");
    }

    @Test
    @Order(7)
    void theLedgerSurvivesARestart() {
        String before = report("team,hour").toString();
        service.close();
        service = new TestService(db, Map.of());
        assertThat(report("team,hour").toString()).isEqualTo(before);
    }
}
