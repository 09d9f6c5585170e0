package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.bench.ProblemGenerator;
import io.gpuplacer.service.security.Roles;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every change is in the audit with principal, request id and outcome; every state version can be restored. */
class AuditTest {

    @Test
    void everyChangeIsAuditedWithItsPrincipalRequestAndOutcomeAndNothingElseIs() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db);
             HttpClient http = service.context().createBean(HttpClient.class, service.url())) {
            String operator = service.tokenFor("olga", Roles.OPERATOR);
            String reporter = service.tokenFor("rita", Roles.REPORTER);
            ProblemGenerator.Documents docs = ProblemGenerator.generate(6, 10, 3);

            HttpResponse<String> put = http.toBlocking().exchange(HttpRequest.PUT("/v1/cluster", docs.cluster()
                    .toString()).contentType("application/json").bearerAuth(operator).header("X-Request-Id",
                    "req-123"), String.class);
            assertThat(put.getHeaders().get("X-Request-Id")).isEqualTo("req-123");
            TestService.Reply bad = service.call("PUT", "/v1/weights", "{\"weights\": {\"nope\": 1}, \"reason\": "
                    + "\"typo\"}", operator);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(service.call("PUT", "/v1/signals", docs.signals().toString(), reporter).status()).isEqualTo(403);
            assertThat(service.call("PUT", "/v1/signals", docs.signals().toString(), null).status()).isEqualTo(401);
            assertThat(service.call("POST", "/v1/recommendations", "{\"job\": " + Recommendations.job("a", 1,
                    "{\"kind\":\"WHOLE\",\"count\":1}", "ANY") + "}", operator).status()).isEqualTo(200);
            TestService.Reply run = service.call("POST", "/v1/optimizations", "{\"jobs\": " + docs.jobs()
                    + ", \"seconds\": 30}", operator);
            String runId = run.json().get("id").asText();
            service.call("DELETE", "/v1/optimizations/" + runId, null, operator);
            service.awaitRun(runId, 30_000);
            service.call("POST", "/v1/tokens", "{\"name\": \"made\", \"role\": \"reporter\"}", service.token());

            JsonNode events = service.call("GET", "/v1/audit?limit=20", null, reporter).json();
            List<String> lines = new ArrayList<>();
            events.forEach(e -> lines.add(e.get("principal").asText() + " " + e.get("action").asText() + " "
                    + e.path("target").asText() + " " + e.get("outcome").asInt()));
            // Newest first; the first admin token's test helpers made tokens through the store, not over HTTP.
            assertThat(lines).containsExactly(
                    service.tokenOwner() + " POST /v1/tokens token made 201",
                    "olga DELETE /v1/optimizations/{id} optimization " + runId + " 200",
                    "olga POST /v1/optimizations optimization " + runId + " 202",
                    "rita PUT /v1/signals null 403",
                    "olga PUT /v1/weights null 400",
                    "olga PUT /v1/cluster cluster version 1 200");
            JsonNode first = events.get(events.size() - 1);
            assertThat(first.get("requestId").asText()).isEqualTo("req-123");
            assertThat(events.get(events.size() - 2).get("detail").asText()).contains("weights.nope");
            assertThat(events.get(0).get("requestId").asText()).hasSize(36); // made when the caller sends none

            // Paging: before the oldest there is nothing.
            assertThat(service.call("GET", "/v1/audit?before=" + first.get("id").asLong(), null, reporter).json())
                    .isEmpty();
            assertThat(service.call("GET", "/v1/audit?limit=0", null, reporter).json().get("field").asText())
                    .isEqualTo("limit");
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void everyClusterAndSignalsVersionCanBeReadBackAndRestored() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db)) {
            ProblemGenerator.Documents small = ProblemGenerator.generate(4, 6, 1);
            ProblemGenerator.Documents large = ProblemGenerator.generate(9, 6, 2);
            long v1 = service.put("/v1/cluster", small.cluster().toString()).status();
            assertThat(v1).isEqualTo(200);
            service.put("/v1/signals", small.signals().toString());
            assertThat(service.put("/v1/cluster", large.cluster().toString()).status()).isEqualTo(200);

            JsonNode clusters = service.get("/v1/state/versions?kind=cluster").json();
            assertThat(clusters).hasSize(2);
            long smallId = clusters.get(1).get("id").asLong();
            JsonNode old = service.get("/v1/state/versions/" + smallId).json();
            assertThat(old.get("document")).isEqualTo(small.cluster());
            assertThat(old.get("createdBy").asText()).isEqualTo(service.tokenOwner());

            TestService.Reply restored = service.post("/v1/state/versions/" + smallId + "/restore", "");
            assertThat(restored.status()).as(restored.text()).isEqualTo(200);
            assertThat(restored.json().get("nodes").asInt()).isEqualTo(4);
            assertThat(service.get("/v1/cluster").json()).isEqualTo(small.cluster());
            JsonNode after = service.get("/v1/state/versions?kind=cluster&limit=1").json();
            assertThat(after.get(0).get("restoredFrom").asLong()).isEqualTo(smallId);
            JsonNode audited = service.get("/v1/audit?limit=1").json().get(0);
            assertThat(audited.get("action").asText()).isEqualTo("POST /v1/state/versions/{id}/restore");
            assertThat(audited.get("target").asText()).isEqualTo("cluster version "
                    + after.get(0).get("id").asLong() + " restored from " + smallId);
            assertThat(service.get("/v1/state/versions?kind=signals").json()).hasSize(1);

            assertThat(service.get("/v1/state/versions/999999").status()).isEqualTo(404);
            assertThat(service.get("/v1/state/versions/abc").status()).isEqualTo(404);
            assertThat(service.get("/v1/state/versions?kind=plans").json().get("field").asText()).isEqualTo("kind");
            // The restore survives a restart: it is the version in force.
            service.close();
            try (TestService again = new TestService(db)) {
                assertThat(again.get("/v1/cluster").json()).isEqualTo(small.cluster());
            }
        } finally {
            TestDatabase.drop(db);
        }
    }

    /**
     * A change whose audit row the database refuses is not made (the row is written in the change's transaction),
     * and the refusal's own row is written once the database takes rows again. Fails when the row is written after
     * the change commits: the change is made (200) and its row only kept in memory, lost with the process.
     */
    @Test
    void aChangeWhoseAuditRowTheDatabaseRefusesIsNotMade() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db);
             java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password());
             java.sql.Statement st = c.createStatement()) {
            String operator = service.tokenFor("olga", Roles.OPERATOR);
            long before = service.get("/v1/weights").json().get("version").asLong();
            st.execute("CREATE TRIGGER audit_refused BEFORE INSERT ON audit_event FOR EACH ROW "
                    + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit refused'");
            try {
                TestService.Reply put = service.call("PUT", "/v1/weights", "{\"weights\": {\"moveCostUsd\": 7}, "
                        + "\"reason\": \"kept\"}", operator);
                assertThat(put.status()).as(put.text()).isEqualTo(503);
                assertThat(put.json().get("error").asText()).contains("audit").doesNotContain("45000");
                TestService.Reply token = service.call("POST", "/v1/tokens", "{\"name\": \"unseen\", \"role\": "
                        + "\"reporter\"}", service.token());
                assertThat(token.status()).isEqualTo(503);
            } finally {
                st.execute("DROP TRIGGER audit_refused");
            }
            assertThat(service.get("/v1/weights").json().get("version").asLong()).isEqualTo(before);
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM api_token WHERE name = 'unseen'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            assertThat(service.context().getBean(io.gpuplacer.service.audit.AuditTrail.class).writePending())
                    .isEqualTo(2);
            JsonNode rows = service.call("GET", "/v1/audit?limit=5", null, operator).json();
            assertThat(rows.get(1).get("action").asText()).isEqualTo("PUT /v1/weights");
            assertThat(rows.get(1).get("outcome").asInt()).isEqualTo(503);
            assertThat(rows.get(0).get("action").asText()).isEqualTo("POST /v1/tokens");
            assertThat(rows.get(0).get("outcome").asInt()).isEqualTo(503);
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void oldStateVersionsGoAfterTheRetentionButNeverTheOneInForce() {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, java.util.Map.of("gpuplacer.state-retention-days", 90))) {
            var versions = service.context().getBean(io.gpuplacer.service.persistence.StateVersionRepository.class);
            java.time.Instant now = java.time.Instant.now();
            java.util.function.BiFunction<String, Integer, Long> save = (kind, daysAgo) -> versions.save(
                    io.gpuplacer.service.persistence.StateVersionRecord.of(kind, "{}", "test",
                            now.minus(java.time.Duration.ofDays(daysAgo)), null)).id();
            long oldest = save.apply("cluster", 100);
            long old = save.apply("cluster", 95);
            long current = save.apply("cluster", 1);
            long oldSignals = save.apply("signals", 100); // old, but the signals in force
            int deleted = service.context().getBean(io.gpuplacer.service.state.StateRetention.class).purge();
            assertThat(deleted).isEqualTo(2);
            assertThat(versions.findById(oldest)).isEmpty();
            assertThat(versions.findById(old)).isEmpty();
            assertThat(versions.findById(current)).isPresent();
            assertThat(versions.findById(oldSignals)).isPresent();
        } finally {
            TestDatabase.drop(db);
        }
    }
}
