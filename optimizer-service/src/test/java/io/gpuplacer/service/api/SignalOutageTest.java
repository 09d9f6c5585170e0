package io.gpuplacer.service.api;

import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.ReplayServer.Answer;
import io.gpuplacer.service.signals.SignalRefresh;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fetch cycle while the database is away: what the provider gave is not lost, and it is put in force as soon as
 * the database is back, without asking the provider again.
 */
class SignalOutageTest {

    private static String history(Instant hour, double value) {
        return "{\"zone\": \"DE\", \"history\": [{\"carbonIntensity\": " + value + ", \"datetime\": \"" + hour
                + "\", \"isEstimated\": false}]}";
    }

    @Test
    void aCycleDuringAnOutageIsPutInForceWhenTheDatabaseIsBackWithoutRefetching() throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        TestDatabase.Credentials db = TestDatabase.fresh();
        URI server = URI.create(db.url().substring("jdbc:".length()));
        try (ReplayServer emaps = new ReplayServer();
             TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort() < 0 ? 3306 : server.getPort())) {
            emaps.on("/v3/carbon-intensity/history", Answer.ok(history(hour, 111)));
            emaps.on("/v3/carbon-intensity/forecast", Answer.ok("{\"zone\": \"DE\", \"forecast\": []}"));
            TestDatabase.Credentials viaProxy = new TestDatabase.Credentials(db.url().replaceFirst(
                    "//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"), db.user(), db.password(), db.database());
            try (TestService service = new TestService(viaProxy, Map.of(
                    "datasources.default.connection-timeout", 1000, "datasources.default.validation-timeout", 500,
                    "gpuplacer.leader-poll-seconds", 3600, "gpuplacer.signals.first-tick", "1h",
                    "gpuplacer.signals.refresh", "1h", "gpuplacer.signals.attempts", 1,
                    "gpuplacer.signals.sources", List.of(Map.of("zone", "DE-LU", "signal", "carbon", "provider",
                            "electricitymaps", "url", emaps.base().toString(), "provider-zone", "DE", "token", "t"))))) {
                SignalRefresh refresh = service.context().getBean(SignalRefresh.class);
                refresh.tick();
                assertThat(carbonNow(service)).isEqualTo(111);
                emaps.on("/v3/carbon-intensity/history", Answer.ok(history(hour, 222)));
                proxy.cut();
                refresh.cycle(Instant.now()); // fetches 222; neither its record nor the signals can be stored
                proxy.restore();
                assertThat(carbonNow(service)).isEqualTo(111);
                // Not due: each tick tries to put what it has in force (the first may still meet a connection the
                // pool kept from before the outage), never asking the provider again.
                for (int t = 0; t < 20 && carbonNow(service) != 222; t++) {
                    refresh.tick();
                    Thread.sleep(100);
                }
                assertThat(carbonNow(service)).isEqualTo(222);
                assertThat(emaps.requestsTo("/v3/carbon-intensity/history")).isEqualTo(2);
            }
        } finally {
            TestDatabase.drop(db);
        }
    }

    private static double carbonNow(TestService service) {
        for (var p : service.get("/v1/signals").json().get("zones").get("DE-LU").get("carbon")) {
            if (p.get("at").asText().equals(Instant.now().truncatedTo(ChronoUnit.HOURS).toString())) {
                return p.get("gPerKWh").asDouble();
            }
        }
        throw new AssertionError("no carbon point for the current hour");
    }
}
