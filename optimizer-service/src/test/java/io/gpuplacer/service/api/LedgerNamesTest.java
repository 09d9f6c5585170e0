package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names as long as a cluster may give them reach the ledger: a Kubernetes pod's job is namespace/name, up to 317
 * characters, which the ledger's 200-character columns once refused (the PUT failed in the database). Longer than
 * the interchange takes is a 400 naming the field.
 */
class LedgerNamesTest {

    private static TestDatabase.Credentials db;
    private static TestService service;

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        service = new TestService(db, Map.of());
    }

    @AfterAll
    static void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    private static String cluster(Instant at, String job, String team, String node) {
        return """
                {"observedAt": "%s", "zones": [{"id": "A", "pue": 1.2}],
                 "nodes": [{"id": "%s", "zone": "A", "gpuModel": "L4", "gpuCount": 1, "cpuMillis": 8000,
                   "memoryMiB": 32768, "costPerHour": 1, "baseWatts": 100, "gpuBusyWatts": 70}],
                 "running": [{"job": "%s", "task": 0, "node": "%s", "gpus": [0], "remainingHours": 5, "team": "%s",
                   "priority": 1, "gpu": {"kind": "WHOLE", "count": 1}, "cpuMillis": 1000, "memoryMiB": 1024}]}
                """.formatted(at, node, job, node, team);
    }

    @Test
    void aKubernetesLengthJobTeamAndNodeAreRecordedAndLongerIsA400() {
        String job = "ml-" + "n".repeat(60) + "/" + "p".repeat(253);
        String team = "t".repeat(250);
        String node = "node-" + "x".repeat(248);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(30, ChronoUnit.MINUTES);
        assertThat(service.put("/v1/cluster", cluster(t0, job, team, node)).status()).isEqualTo(200);
        TestService.Reply second = service.put("/v1/cluster", cluster(t0.plus(10, ChronoUnit.MINUTES), job, team, node));
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        JsonNode report = service.get("/v1/reports/emissions?from=" + t0.truncatedTo(ChronoUnit.HOURS) + "&to="
                + t0.plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS) + "&groupBy=job,team,node").json();
        assertThat(report.get("rows")).singleElement().satisfies(r -> {
            assertThat(r.get("job").asText()).isEqualTo(job);
            assertThat(r.get("team").asText()).isEqualTo(team);
            assertThat(r.get("node").asText()).isEqualTo(node);
        });

        TestService.Reply tooLong = service.put("/v1/cluster", cluster(t0.plus(20, ChronoUnit.MINUTES),
                "j".repeat(401), team, node));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("field").asText()).isEqualTo("running[0].job");
        assertThat(tooLong.json().get("error").asText()).contains("401 characters long; at most 400");
    }
}
