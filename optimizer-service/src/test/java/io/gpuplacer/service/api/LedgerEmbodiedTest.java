package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Embodied emissions as configured, split like base watts, reported apart, and SCI per GPU-hour. */
class LedgerEmbodiedTest {

    @Test
    void embodiedEmissionsFollowTheBaseWattsAndSciAddsThemToTheOperational() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.ledger.embodied.lifespan-years", 5,
                "gpuplacer.ledger.embodied.hardware", List.of(Map.of("gpu-model", "H100-80GB", "gpu-kg", 150,
                        "node-kg", 1200))))) {
            assertThat(service.put("/v1/cluster", LedgerTest.cluster(t0, true).toString()).status()).isEqualTo(200);
            assertThat(service.put("/v1/cluster", LedgerTest.cluster(t0.plus(1, ChronoUnit.HOURS), true).toString())
                    .status()).isEqualTo(200);
            JsonNode report = service.get("/v1/reports/emissions?from=" + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS)
                    + "&groupBy=team").json();
            // g1: (4 x 150 + 1200) kg over 5 x 8760 h = 0.0410958... kg an hour, 0.8 of it train's, 0.2 web's;
            // T4 nodes have no factor.
            JsonNode nlp = null;
            for (JsonNode r : report.get("rows")) {
                if (r.get("team").asText().equals("nlp")) {
                    nlp = r;
                }
                if (r.get("team").asText().equals("unallocated")) {
                    assertThat(r.get("embodiedCo2eKg").asDouble()).isZero();
                    assertThat(r.get("sciKgPerGpuHour").isNull()).isTrue(); // no GPU-hours
                }
            }
            assertThat(nlp).isNotNull();
            assertThat(nlp.get("embodiedCo2eKg").asDouble()).isCloseTo(1800.0 / 43800 * 0.8, within(1e-12));
            // No signals name zone A here: its operational CO2e is 0 (and all of it "estimated"), so SCI is the
            // embodied kg over train's 2 GPU-hours.
            assertThat(nlp.get("co2eKg").asDouble()).isZero();
            assertThat(nlp.get("energyKWh").asDouble()).isCloseTo((300 + 320) * 1.5 / 1000, within(1e-12));
            assertThat(nlp.get("sciKgPerGpuHour").asDouble()).isCloseTo(1800.0 / 43800 * 0.8 / 2, within(1e-12));
            assertThat(report.get("totals").get("embodiedCo2eKg").asDouble()).isCloseTo(1800.0 / 43800, within(1e-12));
            assertThat(report.get("method").get("embodied").get("lifespanYears").asDouble()).isEqualTo(5);
            String csv = service.get("/v1/reports/emissions?from=" + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS)
                    + "&groupBy=team&format=csv").text();
            assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",embodied_co2e_kg,sci_kg_per_gpu_hour");
        } finally {
            TestDatabase.drop(db);
        }
    }
}
