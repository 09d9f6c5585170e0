package io.gpuplacer.connectors.signals.electricitymaps;

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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a local server answering in the v3 shapes, made from the real DE-LU series (Electricity Maps 2024, test
 * resources): history holds hours 0..23 (hour 5 marked estimated, as the provider does when it fills a gap),
 * the forecast hours 12..59 at the real value plus 10.
 */
class ElectricityMapsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpJson FAST = new HttpJson(Duration.ofMillis(500), 3, Duration.ofMillis(10));

    private static ObjectNode answer(String kind, List<ReplayServer.Hour> hours, int from, int to, double plus) {
        ObjectNode body = JSON.createObjectNode();
        body.put("zone", "DE");
        ArrayNode points = body.putArray(kind);
        for (int h = from; h < to; h++) {
            ObjectNode p = points.addObject();
            p.put("zone", "DE");
            p.put("carbonIntensity", hours.get(h).value() + plus);
            p.put("datetime", hours.get(h).hour().toString().replace("Z", ".000Z"));
            p.put("updatedAt", "2024-05-31T10:00:00.000Z");
            p.put("emissionFactorType", "lifecycle");
            boolean estimated = kind.equals("history") && h == 5;
            p.put("isEstimated", estimated);
            if (estimated) {
                p.put("estimationMethod", "TIME_SLICER_AVERAGE");
            } else {
                p.putNull("estimationMethod");
            }
        }
        return body;
    }

    @Test
    void measuredHoursWinOverTheForecastAndEveryFlagIsKept() throws Exception {
        List<ReplayServer.Hour> de = ReplayServer.series("de-2024-hourly.csv");
        try (ReplayServer server = new ReplayServer()) {
            server.on("/v3/carbon-intensity/history", Answer.ok(answer("history", de, 0, 24, 0).toString()));
            server.on("/v3/carbon-intensity/forecast", Answer.ok(answer("forecast", de, 12, 60, 10).toString()));
            List<SignalPoint> points = new ElectricityMaps(FAST, server.base(), "DE", "secret-token")
                    .fetch(de.get(0).hour(), 72);
            assertThat(points).hasSize(60);
            for (int h = 0; h < 60; h++) {
                SignalPoint p = points.get(h);
                assertThat(p.hour()).isEqualTo(de.get(h).hour());
                assertThat(p.value()).as("hour " + h).isEqualTo(de.get(h).value() + (h < 24 ? 0 : 10));
                assertThat(p.estimated()).as("hour " + h).isEqualTo(h == 5 || h >= 24);
                assertThat(p.emissionFactorType()).isEqualTo("lifecycle");
            }
            assertThat(points.get(5).estimationMethod()).isEqualTo("TIME_SLICER_AVERAGE");
            assertThat(points.get(30).estimationMethod()).isEqualTo("forecast");
            assertThat(server.seen).allSatisfy(s -> {
                assertThat(s.headers().get("Auth-token")).containsExactly("secret-token");
                assertThat(s.pathAndQuery()).endsWith("?zone=DE");
            });
        }
    }

    @Test
    void aBadTokenIsAConfigurationErrorAskedOnceAndABadPointRejectsTheWholeAnswer() throws Exception {
        List<ReplayServer.Hour> de = ReplayServer.series("de-2024-hourly.csv");
        try (ReplayServer server = new ReplayServer()) {
            ElectricityMaps source = new ElectricityMaps(FAST, server.base(), "DE", "wrong");
            server.on("/v3/carbon-intensity/forecast", Answer.status(401));
            assertKind(source, de.get(0).hour(), SourceException.Kind.CONFIGURATION);
            assertThat(server.requestsTo("/v3/carbon-intensity/forecast")).isEqualTo(1);
            assertKind(new ElectricityMaps(FAST, server.base(), "DE", " "), de.get(0).hour(),
                    SourceException.Kind.CONFIGURATION);
            assertThat(server.seen).hasSize(1); // no token: not even asked

            ObjectNode history = answer("history", de, 0, 24, 0);
            ((ObjectNode) history.get("history").get(17)).put("carbonIntensity", "n/a");
            server.on("/v3/carbon-intensity/forecast", Answer.ok(answer("forecast", de, 12, 60, 10).toString()));
            server.on("/v3/carbon-intensity/history", Answer.ok(history.toString()));
            assertKind(source, de.get(0).hour(), SourceException.Kind.MALFORMED);
        }
    }

    @Test
    void a429IsRetriedAfterTheTimeItAsksFor() throws Exception {
        List<ReplayServer.Hour> de = ReplayServer.series("de-2024-hourly.csv");
        try (ReplayServer server = new ReplayServer()) {
            server.on("/v3/carbon-intensity/forecast", new Answer(429, "{}", 0, Map.of("Retry-After", "1")),
                    Answer.ok(answer("forecast", de, 0, 48, 0).toString()));
            server.on("/v3/carbon-intensity/history", Answer.ok(answer("history", de, 0, 24, 0).toString()));
            long started = System.nanoTime();
            List<SignalPoint> points = new ElectricityMaps(FAST, server.base(), "DE", "t").fetch(de.get(0).hour(), 48);
            assertThat(points).hasSize(48);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    private static void assertKind(ElectricityMaps source, Instant from, SourceException.Kind kind) {
        assertThatThrownBy(() -> source.fetch(from, 48)).isInstanceOfSatisfying(SourceException.class,
                e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind));
    }
}
