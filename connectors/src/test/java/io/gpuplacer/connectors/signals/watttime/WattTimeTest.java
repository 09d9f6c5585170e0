package io.gpuplacer.connectors.signals.watttime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.ReplayServer.Answer;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SourceException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Against a local server answering in the v3 shapes, made from the real GB series (Electricity Maps 2024): each
 * hour's value in lbs/MWh spread over twelve 5-minute points (value - 5.5 .. value + 5.5, so their mean is the
 * hour's value; six points for a partial hour, value - 2.5 .. value + 2.5); history for hours 0..23 (hour 3 with six points only), the forecast for hours 24..47.
 */
class WattTimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpJson FAST = new HttpJson(Duration.ofMillis(500), 3, Duration.ofMillis(10));

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2024-05-31T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static String answer(List<ReplayServer.Hour> hours, int from, int to, int shortHour) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (int h = from; h < to; h++) {
            double lbs = hours.get(h).value() / WattTime.G_PER_KWH_PER_LBS_PER_MWH;
            int points = h == shortHour ? 6 : 12;
            for (int k = 0; k < points; k++) {
                ObjectNode p = data.addObject();
                p.put("point_time", hours.get(h).hour().plusSeconds(300L * k).toString());
                p.put("value", lbs + k - (points - 1) / 2.0); // symmetric around the hour's value
            }
        }
        ObjectNode meta = body.putObject("meta");
        meta.put("region", "CAISO_NORTH");
        meta.put("signal_type", "co2_moer");
        meta.put("units", "lbs_co2_per_mwh");
        meta.put("data_point_period_seconds", 300);
        return body.toString();
    }

    private static ReplayServer serve(List<ReplayServer.Hour> gb) throws Exception {
        ReplayServer server = new ReplayServer();
        server.on("/login", Answer.ok("{\"token\": \"t1\"}"), Answer.ok("{\"token\": \"t2\"}"),
                Answer.ok("{\"token\": \"t3\"}"));
        server.on("/v3/historical", Answer.ok(answer(gb, 0, 24, 3)));
        server.on("/v3/forecast", Answer.ok(answer(gb, 24, 48, -1)));
        return server;
    }

    @Test
    void fiveMinutePointsInLbsPerMwhBecomeHoursInGramsPerKwh() throws Exception {
        List<ReplayServer.Hour> gb = ReplayServer.series("gb-2024-hourly.csv");
        try (ReplayServer server = serve(gb)) {
            WattTime source = new WattTime(FAST, server.base(), "CAISO_NORTH", "co2_moer", "ana", "pw",
                    new MovingClock());
            List<SignalPoint> points = source.fetch(gb.get(0).hour(), 48);
            assertThat(points).hasSize(48);
            for (int h = 0; h < 48; h++) {
                SignalPoint p = points.get(h);
                assertThat(p.hour()).isEqualTo(gb.get(h).hour());
                assertThat(p.value()).as("hour " + h).isCloseTo(gb.get(h).value(), within(1e-9));
                assertThat(p.estimated()).as("hour " + h).isEqualTo(h == 3 || h >= 24);
                assertThat(p.emissionFactorType()).isEqualTo("marginal");
            }
            assertThat(points.get(3).estimationMethod()).contains("6 of 12");
            String basic = "Basic " + Base64.getEncoder().encodeToString("ana:pw".getBytes(StandardCharsets.UTF_8));
            assertThat(server.seen.get(0).pathAndQuery()).isEqualTo("/login");
            assertThat(server.seen.get(0).headers().get("Authorization")).containsExactly(basic);
            assertThat(server.seen.get(1).headers().get("Authorization")).containsExactly("Bearer t1");
            assertThat(server.seen.get(1).pathAndQuery()).contains("region=CAISO_NORTH", "signal_type=co2_moer");
        }
    }

    @Test
    void theTokenIsRenewedBeforeItsHalfHourEndsAndOnceMoreWhenACallSays401() throws Exception {
        List<ReplayServer.Hour> gb = ReplayServer.series("gb-2024-hourly.csv");
        MovingClock clock = new MovingClock();
        try (ReplayServer server = serve(gb)) {
            WattTime source = new WattTime(FAST, server.base(), "CAISO_NORTH", "co2_moer", "ana", "pw", clock);
            source.fetch(gb.get(0).hour(), 48);
            clock.now = clock.now.plus(Duration.ofMinutes(10));
            source.fetch(gb.get(0).hour(), 48);
            assertThat(server.requestsTo("/login")).as("a 10-minute-old token is kept").isEqualTo(1);
            clock.now = clock.now.plus(Duration.ofMinutes(16));
            source.fetch(gb.get(0).hour(), 48);
            assertThat(server.requestsTo("/login")).as("renewed after 25 minutes").isEqualTo(2);

            server.on("/v3/forecast", Answer.status(401), Answer.ok(answer(gb, 24, 48, -1)));
            assertThat(source.fetch(gb.get(0).hour(), 48)).hasSize(48);
            assertThat(server.requestsTo("/login")).as("one more login after the 401").isEqualTo(3);
            assertThat(server.seen.get(server.seen.size() - 1).headers().get("Authorization"))
                    .containsExactly("Bearer t3");
        }
    }

    @Test
    void badSettingsAndBadAnswersAreRefused() throws Exception {
        List<ReplayServer.Hour> gb = ReplayServer.series("gb-2024-hourly.csv");
        assertThatThrownBy(() -> new WattTime(FAST, URI.create("http://127.0.0.1:1"), "X", "co2", "a", "b",
                new MovingClock())).isInstanceOfSatisfying(SourceException.class,
                e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.CONFIGURATION));
        try (ReplayServer server = serve(gb)) {
            server.on("/login", Answer.status(401));
            WattTime wrong = new WattTime(FAST, server.base(), "CAISO_NORTH", "co2_aoer", "ana", "bad",
                    new MovingClock());
            assertThatThrownBy(() -> wrong.fetch(gb.get(0).hour(), 48)).isInstanceOfSatisfying(
                    SourceException.class, e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.CONFIGURATION));
            assertThat(server.requestsTo("/login")).isEqualTo(1);

            server.on("/login", Answer.ok("{\"token\": \"t\"}"));
            server.on("/v3/forecast", Answer.ok(answer(gb, 24, 48, -1).replace("\"value\":", "\"valu\":")));
            WattTime source = new WattTime(FAST, server.base(), "CAISO_NORTH", "co2_aoer", "ana", "pw",
                    new MovingClock());
            assertThatThrownBy(() -> source.fetch(gb.get(0).hour(), 48)).isInstanceOfSatisfying(
                    SourceException.class, e -> assertThat(e.kind()).isEqualTo(SourceException.Kind.MALFORMED));
        }
    }
}
