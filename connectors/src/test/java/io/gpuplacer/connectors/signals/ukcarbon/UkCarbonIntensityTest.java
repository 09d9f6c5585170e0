package io.gpuplacer.connectors.signals.ukcarbon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.ReplayServer.Answer;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SourceException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Against a local server answering in the API's documented shape, made from the real GB series (Electricity Maps
 * 2024, test resources): each hour's first half-hour is the hour's value, the second the mean of it and the next
 * hour's; the first 24 hours carry an {@code actual}, the rest a {@code forecast} only.
 */
class UkCarbonIntensityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HttpJson FAST = new HttpJson(Duration.ofMillis(500), 3, Duration.ofMillis(10));

    private static List<ReplayServer.Hour> gb() throws Exception {
        return ReplayServer.series("gb-2024-hourly.csv");
    }

    /** The half-hours of the first 48 hours, in the API's shape. */
    private static ArrayNode halfHours(List<ReplayServer.Hour> hours, int count) {
        ArrayNode data = JSON.createArrayNode();
        for (int h = 0; h < count; h++) {
            double first = hours.get(h).value();
            double second = (first + hours.get(h + 1).value()) / 2;
            for (int half = 0; half < 2; half++) {
                Instant from = hours.get(h).hour().plusSeconds(1800L * half);
                ObjectNode point = data.addObject();
                point.put("from", MINUTE.format(from));
                point.put("to", MINUTE.format(from.plusSeconds(1800)));
                ObjectNode intensity = point.putObject("intensity");
                double value = half == 0 ? first : second;
                intensity.put("forecast", Math.round(value + 7)); // forecasts are off; actuals win where present
                if (h < 24) {
                    intensity.put("actual", value);
                } else {
                    intensity.putNull("actual");
                }
                intensity.put("index", "moderate");
            }
        }
        return data;
    }

    @Test
    void halfHoursBecomeHoursActualsWinAndForecastHoursAreEstimated() throws Exception {
        List<ReplayServer.Hour> gb = gb();
        Instant from = gb.get(0).hour();
        try (ReplayServer server = new ReplayServer()) {
            ObjectNode body = JSON.createObjectNode();
            body.set("data", halfHours(gb, 48));
            server.on("/intensity/" + MINUTE.format(from) + "/fw48h", Answer.ok(body.toString()));
            List<SignalPoint> points = new UkCarbonIntensity(FAST, server.base(), null).fetch(from, 48);
            assertThat(points).hasSize(48);
            for (int h = 0; h < 48; h++) {
                SignalPoint p = points.get(h);
                assertThat(p.hour()).isEqualTo(gb.get(h).hour());
                double first = gb.get(h).value();
                double second = (first + gb.get(h + 1).value()) / 2;
                double expected = h < 24 ? (first + second) / 2 : (Math.round(first + 7) + Math.round(second + 7)) / 2.0;
                assertThat(p.value()).as("hour " + h).isCloseTo(expected, within(1e-9));
                assertThat(p.estimated()).as("hour " + h).isEqualTo(h >= 24);
                assertThat(p.emissionFactorType()).isEqualTo("direct");
            }
        }
    }

    @Test
    void aRegionIsReadFromTheRegionalShapeAndPartialCoverageGivesTheHoursThereAre() throws Exception {
        List<ReplayServer.Hour> gb = gb();
        Instant from = gb.get(0).hour();
        try (ReplayServer server = new ReplayServer()) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode region = body.putObject("data");
            region.put("regionid", 13);
            region.put("shortname", "London");
            region.set("data", halfHours(gb, 10));
            server.on("/regional/intensity/" + MINUTE.format(from) + "/fw48h/regionid/13", Answer.ok(body.toString()));
            List<SignalPoint> points = new UkCarbonIntensity(FAST, server.base(), 13).fetch(from, 48);
            assertThat(points).hasSize(10);
            assertThat(points.get(9).hour()).isEqualTo(gb.get(9).hour());
        }
    }

    @Test
    void moreThan48HoursTakeAWindowPer48HoursUntilOneEndsEarly() throws Exception {
        List<ReplayServer.Hour> gb = gb();
        Instant from = gb.get(0).hour();
        Instant second = gb.get(48).hour();
        try (ReplayServer server = new ReplayServer()) {
            ObjectNode first = JSON.createObjectNode();
            first.set("data", halfHours(gb, 48));
            ObjectNode rest = JSON.createObjectNode();
            rest.set("data", halfHours(gb.subList(48, gb.size()), 10)); // the forecast ends 58 hours out
            server.on("/intensity/" + MINUTE.format(from) + "/fw48h", Answer.ok(first.toString()));
            server.on("/intensity/" + MINUTE.format(second) + "/fw48h", Answer.ok(rest.toString()));
            List<SignalPoint> points = new UkCarbonIntensity(FAST, server.base(), null).fetch(from, 120);
            assertThat(points).extracting(SignalPoint::hour).containsExactlyElementsOf(
                    gb.subList(0, 58).stream().map(ReplayServer.Hour::hour).toList());
            assertThat(server.seen).hasSize(2); // the short second window is where the forecast ends
        }
        try (ReplayServer server = new ReplayServer()) {
            ObjectNode partial = JSON.createObjectNode();
            partial.set("data", halfHours(gb, 30));
            server.on("/intensity/" + MINUTE.format(from) + "/fw48h", Answer.ok(partial.toString()));
            assertThat(new UkCarbonIntensity(FAST, server.base(), null).fetch(from, 72)).hasSize(30);
            assertThat(server.seen).hasSize(1);
        }
    }

    @Test
    void fiveHundredsAreRetriedAndAProviderThatComesBackIsRead() throws Exception {
        List<ReplayServer.Hour> gb = gb();
        Instant from = gb.get(0).hour();
        try (ReplayServer server = new ReplayServer()) {
            ObjectNode body = JSON.createObjectNode();
            body.set("data", halfHours(gb, 48));
            String path = "/intensity/" + MINUTE.format(from) + "/fw48h";
            server.on(path, Answer.status(500), Answer.status(503), Answer.ok(body.toString()));
            assertThat(new UkCarbonIntensity(FAST, server.base(), null).fetch(from, 48)).hasSize(48);
            assertThat(server.requestsTo(path)).isEqualTo(3);
        }
    }

    @Test
    void faultsAreReportedByKindAndNothingIsTakenFromABadAnswer() throws Exception {
        List<ReplayServer.Hour> gb = gb();
        Instant from = gb.get(0).hour();
        String path = "/intensity/" + MINUTE.format(from) + "/fw48h";
        try (ReplayServer server = new ReplayServer()) {
            UkCarbonIntensity source = new UkCarbonIntensity(FAST, server.base(), null);
            server.on(path, Answer.status(401));
            assertKind(source, from, SourceException.Kind.CONFIGURATION);
            assertThat(server.requestsTo(path)).as("a 401 is not retried").isEqualTo(1);

            ObjectNode body = JSON.createObjectNode();
            ArrayNode data = halfHours(gb, 48);
            ((ObjectNode) data.get(37).get("intensity")).putNull("forecast").putNull("actual");
            body.set("data", data);
            server.on(path, Answer.ok(body.toString()));
            assertKind(source, from, SourceException.Kind.MALFORMED);

            server.on(path, Answer.ok("{\"data\": [ {\"from\": "));
            assertKind(source, from, SourceException.Kind.MALFORMED);

            server.on(path, new Answer(200, "{\"data\": []}", 2_000, Map.of())); // slower than the 500 ms timeout
            long before = server.requestsTo(path);
            assertKind(source, from, SourceException.Kind.UNAVAILABLE);
            assertThat(server.requestsTo(path) - before).as("every attempt timed out").isEqualTo(3);
        }
    }

    private static void assertKind(UkCarbonIntensity source, Instant from, SourceException.Kind kind) {
        assertThatThrownBy(() -> source.fetch(from, 48)).isInstanceOfSatisfying(SourceException.class,
                e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind));
    }
}
