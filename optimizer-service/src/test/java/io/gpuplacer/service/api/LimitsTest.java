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

    /**
     * A client that sends a request head a byte at a time (slowloris) is cut off at the header deadline; a whole
     * request on the same kind of connection is answered, and a kept-alive connection serves a second one. Fails
     * without {@code HeaderDeadline}: such connections stayed open for minutes.
     */
    /**
     * A 100,000-GPU fleet (12,500 nodes of 8 H100) with a one-GPU task on every GPU fits the default body limit in
     * one PUT; a body above the limit is 413 in the error shape. Fails on a 10 MiB limit (the buffer's default).
     */
    @Test
    void aHundredThousandGpuClusterFitsTheDefaultBodyLimit() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.load-example", false,
                "micronaut.http.client.read-timeout", "120s"))) {
            StringBuilder doc = new StringBuilder(40 << 20);
            doc.append("{\"zones\": [{\"id\": \"DE\", \"pue\": 1.1}], \"nodes\": [");
            for (int n = 0; n < 12_500; n++) {
                doc.append(n == 0 ? "" : ",").append("{\"id\": \"n").append(n).append("\", \"zone\": \"DE\", \"rack\": \"r")
                        .append(n / 40).append("\", \"block\": \"b").append(n / 400).append("\", \"gpuModel\": \"H100-80GB\", "
                        + "\"gpuCount\": 8, \"cpuMillis\": 192000, \"memoryMiB\": 2097152, \"costPerHour\": 98.0, "
                        + "\"baseWatts\": 1800, \"gpuBusyWatts\": 630, \"nvlinkIslands\": [[0,1,2,3,4,5,6,7]], "
                        + "\"capacityType\": \"ON_DEMAND\", \"interruptionPerHour\": 0.0, \"alwaysOn\": true, "
                        + "\"healthy\": true, \"schedulable\": true}");
            }
            doc.append("], \"running\": [");
            for (int n = 0; n < 12_500; n++) {
                for (int g = 0; g < 8; g++) {
                    doc.append(n + g == 0 ? "" : ",").append("{\"job\": \"run-").append(n).append('-').append(g)
                            .append("\", \"task\": 0, \"node\": \"n").append(n).append("\", \"gpus\": [").append(g)
                            .append("], \"migStart\": null, \"remainingHours\": 4, \"migratable\": true, \"team\": "
                                    + "\"team4\", \"priority\": 50, \"gpu\": {\"kind\": \"WHOLE\", \"count\": 1}, "
                                    + "\"cpuMillis\": 8000, \"memoryMiB\": 32768, \"topology\": \"ANY\", "
                                    + "\"preemptible\": true, \"checkpointMinutes\": 30, \"restartMinutes\": 5, "
                                    + "\"utilization\": 0.8}");
                }
            }
            doc.append("]}");
            System.out.printf("a 100,000-GPU cluster with a task on every GPU: %.1f MB%n", doc.length() / 1e6);
            long t0 = System.nanoTime();
            TestService.Reply put = service.put("/v1/cluster", doc.toString());
            System.out.printf("PUT in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(put.status()).as(put.text().length() > 300 ? put.text().substring(0, 300) : put.text())
                    .isEqualTo(200);
            String tooLarge = "{\"pad\": \"" + "x".repeat(65 << 20) + "\"}";
            TestService.Reply refused = service.put("/v1/cluster", tooLarge);
            assertThat(refused.status()).isEqualTo(413);
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void aRequestHeadThatNeverEndsIsCutOffAtTheDeadline() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.http.header-timeout", "2s"))) {
            java.net.URL url = service.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class).getURL();
            try (java.net.Socket slow = new java.net.Socket(url.getHost(), url.getPort())) {
                slow.setSoTimeout(15_000);
                java.io.OutputStream out = slow.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                boolean closed = false;
                for (int i = 0; i < 12 && !closed; i++) {
                    try {
                        out.write(("X-Slow-" + i + ": y\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(500);
                        slow.setSoTimeout(1);
                        closed = slow.getInputStream().read() == -1;
                    } catch (java.net.SocketTimeoutException e) {
                        // still open
                    } catch (java.io.IOException e) {
                        closed = true; // reset by the server
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(closed).as("closed after %.1f s", seconds).isTrue();
                assertThat(seconds).isBetween(1.5, 5.0);
            }
            try (java.net.Socket whole = new java.net.Socket(url.getHost(), url.getPort())) {
                whole.setSoTimeout(10_000);
                java.io.OutputStream out = whole.getOutputStream();
                java.io.InputStream in = whole.getInputStream();
                for (int i = 0; i < 2; i++) {
                    out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    String head = readHead(in);
                    assertThat(head).startsWith("HTTP/1.1 200");
                    int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                    assertThat(in.readNBytes(length)).hasSize(length);
                }
            }
        } finally {
            TestDatabase.drop(db);
        }
    }

    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
    }

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
                    "[]", null, null, null, old, old, null, false));
            repository.save(new io.gpuplacer.service.persistence.OptimizationRunRecord("recent-done", "DONE", 5, 1, 1,
                    1, "[]", null, null, null, now.minus(java.time.Duration.ofDays(2)), now.minus(
                    java.time.Duration.ofDays(1)), null, false));
            int deleted = service.context().getBean(io.gpuplacer.service.optimize.RunHousekeeping.class)
                    .purgeOldRuns();
            assertThat(deleted).isEqualTo(1);
            assertThat(service.get("/v1/optimizations/old-done").status()).isEqualTo(404);
            assertThat(service.get("/v1/optimizations/recent-done").status()).isEqualTo(200);
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void eachPrincipalHasItsOwnRateAndOneRequestMoreIs429WithRetryAfter() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db, Map.of("gpuplacer.rate-limit-per-second", 1,
                "gpuplacer.rate-limit-burst", 3))) {
            String busy = service.tokenFor("busy", io.gpuplacer.service.security.Roles.REPORTER);
            String other = service.tokenFor("other", io.gpuplacer.service.security.Roles.REPORTER);
            for (int i = 0; i < 3; i++) {
                assertThat(service.call("GET", "/v1/weights", null, busy).status()).isEqualTo(200);
            }
            HttpClient http = service.context().createBean(HttpClient.class, new java.net.URL(service.url()));
            assertThatThrownBy(() -> http.toBlocking().exchange(HttpRequest.GET("/v1/weights").bearerAuth(busy),
                    String.class)).isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                        assertThat(e.code()).isEqualTo(429);
                        assertThat(Integer.parseInt(e.getResponse().getHeaders().get("Retry-After"))).isBetween(1, 2);
                        assertThat(e.getResponse().getBody(String.class).orElse(""))
                                .contains("busy", "gpuplacer.rate-limit-per-second", "\"field\"");
                    });
            http.close();
            assertThat(service.call("GET", "/v1/weights", null, other).status()).as("another principal").isEqualTo(200);
            Thread.sleep(1100);
            assertThat(service.call("GET", "/v1/weights", null, busy).status()).as("refilled").isEqualTo(200);
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void aRecommendationThatOutrunsItsBudgetAnswersWithWhatItFoundAndSaysSo() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        io.gpuplacer.service.bench.ProblemGenerator.Documents docs = io.gpuplacer.service.bench.ProblemGenerator
                .generate(3000, 10, 11);
        ObjectNode job = Recommendations.job("wide", 16, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        String ask = "{\"job\": " + job + ", \"limit\": 5}";
        try (TestService tight = new TestService(db, Map.of("gpuplacer.recommendation-budget-millis", 1,
                "gpuplacer.load-example", false))) {
            assertThat(tight.put("/v1/cluster", docs.cluster().toString()).status()).isEqualTo(200);
            assertThat(tight.put("/v1/signals", docs.signals().toString()).status()).isEqualTo(200);
            TestService.Reply reply = tight.post("/v1/recommendations", ask);
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
            assertThat(reply.json().get("complete").asBoolean()).isFalse();
            assertThat(reply.json().get("reasons").get(0).asText()).contains("time budget", "1 ms",
                    "gpuplacer.recommendation-budget-millis");
            String now = reply.json().get("now").asText();
            for (com.fasterxml.jackson.databind.JsonNode r : reply.json().get("recommendations")) {
                Recommendations.assertFeasible(docs.cluster(), docs.signals(), job, now, r);
            }
        }
        try (TestService roomy = new TestService(db, Map.of("gpuplacer.load-example", false))) {
            TestService.Reply reply = roomy.post("/v1/recommendations", ask);
            assertThat(reply.json().get("complete").asBoolean()).as(reply.text()).isTrue();
            assertThat(reply.json().get("recommendations")).isNotEmpty();
            assertThat(reply.json().get("reasons")).isEmpty();
        } finally {
            TestDatabase.drop(db);
        }
    }
}
