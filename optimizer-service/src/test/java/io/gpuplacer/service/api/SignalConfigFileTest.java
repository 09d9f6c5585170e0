package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.ReplayServer.Answer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sources configured as the docs say: a YAML file named by MICRONAUT_CONFIG_FILES, a token from the
 * environment, in a {@code serve} process of its own; and a mistake in them stops the start.
 */
class SignalConfigFileTest {

    @Test
    void aYamlFileOfSourcesIsFetchedAtStartWithTheTokenFromTheEnvironment(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        // The real DE-LU day-ahead prices of 2024-05-30, moved to today, in the documented columns.
        List<String> real;
        try (InputStream in = ReplayServer.class.getResourceAsStream("/signals/de-lu-prices-2024.csv")) {
            real = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        }
        StringBuilder csv = new StringBuilder("datetime,price_usd_per_mwh\n");
        for (int h = 0; h < 48; h++) {
            csv.append(hour.plus(h - 24, ChronoUnit.HOURS)).append(',').append(real.get(h).split(",")[2]).append('\n');
        }
        Path prices = Files.writeString(dir.resolve("de-lu.csv"), csv);
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (ReplayServer emaps = new ReplayServer()) {
            emaps.on("/v3/carbon-intensity/history", Answer.ok("{\"zone\": \"DE\", \"history\": [{\"carbonIntensity\": "
                    + "321.5, \"datetime\": \"" + hour + "\", \"isEstimated\": false, \"emissionFactorType\": "
                    + "\"lifecycle\"}]}"));
            emaps.on("/v3/carbon-intensity/forecast", Answer.ok("{\"zone\": \"DE\", \"forecast\": []}"));
            Path config = Files.writeString(dir.resolve("signals.yml"), """
                    gpuplacer:
                      signals:
                        refresh: 15m
                        sources:
                          - { zone: DE-LU, signal: carbon, provider: electricitymaps, url: "%s", provider-zone: DE, token: "${EMAPS_TOKEN}" }
                          - { zone: DE-LU, signal: price, provider: csv, path: "%s" }
                    """.formatted(emaps.base(), prices));
            ChildService child = ChildService.start(db, Map.of("MICRONAUT_CONFIG_FILES", config.toString(),
                    "EMAPS_TOKEN", "token-from-env"));
            try {
                JsonNode status = awaitFetched(child);
                assertThat(status.get("sources")).hasSize(2);
                assertThat(status.get("sources").get(0).get("zone").asText()).isEqualTo("DE-LU");
                assertThat(status.get("sources").get(1).get("provider").asText()).isEqualTo("csv");
                assertThat(status.get("sources").get(1).get("horizonHoursCovered").asInt()).isEqualTo(24);
                assertThat(emaps.seen).isNotEmpty().allSatisfy(s ->
                        assertThat(s.headers().get("Auth-token")).containsExactly("token-from-env"));
                JsonNode signals = awaitInForce(child);
                JsonNode price = signals.get("zones").get("DE-LU").get("price");
                // From the day before: the file's first row, then the current hour's.
                assertThat(price.get(0).get("at").asText()).isEqualTo(hour.minus(24, ChronoUnit.HOURS).toString());
                assertThat(price.get(0).get("usdPerMWh").asDouble()).isEqualTo(Double.parseDouble(real.get(0)
                        .split(",")[2]));
                assertThat(price.get(24).get("at").asText()).isEqualTo(hour.toString());
                assertThat(price.get(24).get("usdPerMWh").asDouble()).isEqualTo(Double.parseDouble(real.get(24)
                        .split(",")[2]));
                assertThat(signals.get("zones").get("DE-LU").get("carbon").get(24).get("gPerKWh").asDouble())
                        .isEqualTo(321.5); // the provider's hour now (the day before holds it too: the nearest value)
                assertThat(child.log()).doesNotContain("token-from-env");
            } finally {
                child.terminate();
            }
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void aMistakeInTheSourcesStopsTheStartNamingTheEntryAndKey(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path config = Files.writeString(dir.resolve("signals.yml"), """
                gpuplacer:
                  signals:
                    sources:
                      - { zone: GB, signal: carbon, provider: uk-carbon-intensity }
                      - { zone: DE, signal: carbon, provider: emaps }
                """);
        TestDatabase.Credentials db = TestDatabase.fresh();
        try {
            ChildService.CliRun run = ChildService.cli(db, Map.of("MICRONAUT_CONFIG_FILES", config.toString()),
                    "serve");
            assertThat(run.exit()).isNotZero();
            assertThat(run.out() + run.err()).contains("gpuplacer.signals.sources[1].provider: \"emaps\" is not a "
                    + "carbon provider; valid: uk-carbon-intensity, electricitymaps, watttime");
        } finally {
            TestDatabase.drop(db);
        }
    }

    private static JsonNode awaitFetched(ChildService child) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode status = TestService.JSON.readTree(get(child, "/v1/signals/status"));
            boolean all = true;
            for (JsonNode s : status.get("sources")) {
                all &= !s.get("lastSuccess").isNull();
            }
            if (all) {
                return status;
            }
            assertThat(System.currentTimeMillis()).as(status.toString()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The fetched series are put in force once every source has been asked. */
    private static JsonNode awaitInForce(ChildService child) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode signals = TestService.JSON.readTree(get(child, "/v1/signals"));
            if (signals.get("zones").get("DE-LU").get("price").get(0).has("provider")) {
                return signals;
            }
            assertThat(System.currentTimeMillis()).as(signals.toString()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String get(ChildService child, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(child.base() + path))
                .header("Authorization", "Bearer " + child.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
