package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configurable limits answer with the usual error body: 429 with Retry-After for runs, 400 for a big gang. */
class LimitsTest {

    @Test
    void oneRunMoreThanTheLimitIs429WithRetryAfterAndABadOneIsStill400() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.max-active-runs", 1))) {
            String jobs = Files.readString(Path.of("../examples/jobs.json"));
            TestService.Reply first = service.post("/v1/optimizations", "{\"jobs\": " + jobs + ", \"seconds\": 60}");
            assertThat(first.status()).isEqualTo(202);
            HttpClient http = service.context().createBean(HttpClient.class, new java.net.URL(service.url()));
            assertThatThrownBy(() -> http.toBlocking().exchange(HttpRequest.POST("/v1/optimizations",
                    "{\"jobs\": " + jobs + ", \"seconds\": 60}").contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(service.token()),
                    String.class)).isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                        HttpResponse<?> r = e.getResponse();
                        assertThat(r.code()).isEqualTo(429);
                        assertThat(r.getHeaders().get("Retry-After")).isEqualTo("60");
                        assertThat(r.getBody(String.class).orElse("")).contains("gpuplacer.max-active-runs", "\"field\"");
                    });
            // Bad input is judged first: still a 400 naming the field.
            assertThat(service.post("/v1/optimizations", "{\"jobs\": " + jobs + ", \"seconds\": 0}").status())
                    .isEqualTo(400);
            String id = first.json().get("id").asText();
            service.delete("/v1/optimizations/" + id);
            assertThat(service.awaitRun(id, 30_000).get("status").asText()).isEqualTo("CANCELLED");
            // Room again once it has ended.
            TestService.Reply again = service.post("/v1/optimizations", "{\"jobs\": " + jobs + ", \"seconds\": 1}");
            assertThat(again.status()).isEqualTo(202);
            service.awaitRun(again.json().get("id").asText(), 30_000);
            http.close();
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void aGangLargerThanARecommendationTakesIs400NamingJobTasks() {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.max-recommendation-tasks", 2))) {
            ObjectNode job = Recommendations.job("big", 3, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
            TestService.Reply reply = service.post("/v1/recommendations", "{\"job\": " + job + "}");
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).isEqualTo("job.tasks");
            assertThat(reply.json().get("value").asText()).isEqualTo("3");
            job.put("tasks", 2);
            assertThat(service.post("/v1/recommendations", "{\"job\": " + job + "}").status()).isEqualTo(200);
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void finishedRunsOlderThanTheRetentionAreDeletedAndNothingElse() {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.run-retention-days", 30))) {
            var repository = service.context().getBean(
                    io.gpuplacer.service.persistence.OptimizationRunRepository.class);
            java.time.Instant now = java.time.Instant.now();
            java.time.Instant old = now.minus(java.time.Duration.ofDays(40));
            repository.save(new io.gpuplacer.service.persistence.OptimizationRunRecord("old-done", "DONE", 5, 1, 1, 1,
                    "[]", null, null, null, old, old));
            repository.save(new io.gpuplacer.service.persistence.OptimizationRunRecord("recent-done", "DONE", 5, 1, 1,
                    1, "[]", null, null, null, now.minus(java.time.Duration.ofDays(2)), now.minus(
                    java.time.Duration.ofDays(1))));
            int deleted = service.context().getBean(io.gpuplacer.service.optimize.OptimizationService.class)
                    .purgeOldRuns();
            assertThat(deleted).isEqualTo(1);
            assertThat(service.get("/v1/optimizations/old-done").status()).isEqualTo(404);
            assertThat(service.get("/v1/optimizations/recent-done").status()).isEqualTo(200);
        } finally {
            TestDatabase.drop(db);
        }
    }
}
