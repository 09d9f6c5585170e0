package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An interval of the ledger is priced with the signals in force during it, not with a document stored after it
 * began (here: a grid ten times dirtier, PUT while the interval ran). Fails when the interval is priced with the
 * signals in force when the snapshot that closes it arrives.
 */
class LedgerSignalsTest {

    @Test
    void anIntervalIsPricedWithTheSignalsInForceDuringItNotThoseOfItsEnd() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.load-example", false))) {
            Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
            Instant from = hour.minus(24, ChronoUnit.HOURS);
            JsonNode clean = TestSignals.hourly(from, 48, "test-grid", (zone, h) -> 100, (zone, h) -> 50, h -> false,
                    "A", "B");
            JsonNode dirty = TestSignals.hourly(from, 48, "test-grid", (zone, h) -> 1000, (zone, h) -> 50,
                    h -> false, "A", "B");
            assertThat(service.put("/v1/cluster", LedgerTest.cluster(Instant.now(), false).toString()).status())
                    .isEqualTo(200);
            assertThat(service.put("/v1/signals", clean.toString()).status()).isEqualTo(200);
            Thread.sleep(1_100); // the ledger keeps whole seconds of a snapshot's observedAt
            Instant t0 = Instant.now();
            assertThat(service.put("/v1/cluster", LedgerTest.cluster(t0, false).toString()).status()).isEqualTo(200);
            Thread.sleep(1_100);
            assertThat(service.put("/v1/signals", dirty.toString()).status()).isEqualTo(200);
            Thread.sleep(1_000);
            Instant t1 = Instant.now();
            assertThat(service.put("/v1/cluster", LedgerTest.cluster(t1, false).toString()).status()).isEqualTo(200);

            TestService.Reply r = service.get("/v1/reports/emissions?from=" + hour.minus(1, ChronoUnit.HOURS)
                    + "&to=" + hour.plus(2, ChronoUnit.HOURS));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            JsonNode totals = r.json().get("totals");
            double kwh = totals.get("energyKWh").asDouble();
            assertThat(kwh).isPositive();
            // 100 g/kWh (clean, in force when the interval began), not 1000 (stored during it).
            assertThat(totals.get("co2eKg").asDouble() * 1000 / kwh).isCloseTo(100, within(1e-6));
        } finally {
            TestDatabase.drop(db);
        }
    }
}
