package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.bench.ProblemGenerator;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database goes away under a running service: recommendations keep answering from memory, writes are 503 with
 * Retry-After and change nothing, health says DOWN; when it comes back the service carries on, no restart.
 */
class OutageTest {

    @Test
    void recommendationsAnswerFromMemoryWritesAre503AndTheServiceRecoversWithoutARestart() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        URI server = URI.create(db.url().substring("jdbc:".length()));
        int port = server.getPort() < 0 ? 3306 : server.getPort();
        try (TcpProxy proxy = new TcpProxy(server.getHost(), port)) {
            TestDatabase.Credentials viaProxy = new TestDatabase.Credentials(db.url().replaceFirst(
                    "//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"), db.user(), db.password(), db.database());
            try (TestService service = new TestService(viaProxy, Map.of("datasources.default.connection-timeout",
                    1000, "datasources.default.validation-timeout", 500));
                 HttpClient http = service.context().createBean(HttpClient.class, service.url())) {
                ProblemGenerator.Documents docs = ProblemGenerator.generate(12, 20, 5);
                assertThat(service.put("/v1/cluster", docs.cluster().toString()).status()).isEqualTo(200);
                assertThat(service.put("/v1/signals", docs.signals().toString()).status()).isEqualTo(200);
                String job = "{\"job\": " + Recommendations.job("during-outage", 1, "{\"kind\":\"WHOLE\",\"count\":1}",
                        "ANY") + "}";
                JsonNode before = service.post("/v1/recommendations", job).json();
                long weightsVersion = service.get("/v1/weights").json().get("version").asLong();
                // The recommendation's arrival is written in the background: let it finish before the database goes.
                service.context().getBean(io.gpuplacer.service.ledger.ArrivalRecorder.class).drain();

                proxy.cut();

                for (int i = 0; i < 20; i++) {
                    TestService.Reply r = service.post("/v1/recommendations", job);
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                    assertThat(r.json().get("recommendations")).isEqualTo(before.get("recommendations"));
                }
                assertThatThrownBy(() -> http.toBlocking().exchange(HttpRequest.PUT("/v1/weights",
                        "{\"weights\": {\"moveCostUsd\": 3}, \"reason\": \"outage\"}").contentType("application/json")
                        .bearerAuth(service.token()), String.class))
                        .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                            assertThat(e.code()).isEqualTo(503);
                            assertThat(e.getResponse().getHeaders().get("Retry-After")).isEqualTo("5");
                            String body = e.getResponse().getBody(String.class).orElse("");
                            assertThat(body).contains("database", "nothing was changed")
                                    .doesNotContainIgnoringCase("insert").doesNotContainIgnoringCase("select");
                        });
                long t0 = System.nanoTime();
                TestService.Reply cluster = service.put("/v1/cluster", docs.cluster().toString());
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(cluster.status()).as(cluster.text()).isEqualTo(503);
                // Within the 3 s connection timeout, not twice that: the audit row is not tried on a database known
                // away (it was, after the change had failed: about 6 s).
                System.out.printf("outage: a write answered 503 in %.1f s%n", seconds);
                assertThat(seconds).isLessThan(5.0);
                assertThat(service.post("/v1/optimizations", "{\"jobs\": " + docs.jobs() + ", \"seconds\": 5}")
                        .status()).isEqualTo(503);
                assertThat(service.get("/v1/weights").json().get("version").asLong()).as("in memory, unchanged")
                        .isEqualTo(weightsVersion);
                TestService.Reply health = service.call("GET", "/health", null, null);
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
                assertThat(service.call("GET", "/health/liveness", null, null).status()).as("the process lives")
                        .isEqualTo(200);
                assertThat(service.call("GET", "/health/readiness", null, null).status()).isEqualTo(503);
                JsonNode details = service.get("/health").json().get("details");
                assertThat(details.get("jdbc").get("status").asText()).isEqualTo("DOWN");

                proxy.restore();

                long end = System.currentTimeMillis() + 30_000;
                TestService.Reply again = service.put("/v1/weights", "{\"weights\": {\"moveCostUsd\": 3}, "
                        + "\"reason\": \"after\"}");
                while (again.status() != 200 && System.currentTimeMillis() < end) {
                    Thread.sleep(500);
                    again = service.put("/v1/weights", "{\"weights\": {\"moveCostUsd\": 3}, \"reason\": \"after\"}");
                }
                assertThat(again.status()).as(again.text()).isEqualTo(200);
                assertThat(again.json().get("version").asLong()).as("the refused write left no version")
                        .isEqualTo(weightsVersion + 1);
                assertThat(service.call("GET", "/health", null, null).status()).isEqualTo(200);
                assertThat(service.get("/v1/state/versions?kind=cluster").json()).as("the refused PUT stored nothing")
                        .hasSize(1);
            }
        } finally {
            TestDatabase.drop(db);
        }
    }
}
