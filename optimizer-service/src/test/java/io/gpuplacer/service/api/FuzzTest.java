package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.service.fuzz.JsonMutator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutational fuzzing of every JSON endpoint that takes a body: valid documents (the bundled example, a weights
 * change, a recommendation request, an optimization run, a new token) with one to three random mutations each
 * (a value replaced by one of another type or an extreme one, a field removed or added, an array emptied or
 * doubled), sent to the running service.
 * Nothing may answer 5xx, and every 400 carries the error body. {@code -Dfuzz.runs=N} sets the number of
 * documents (default 10,000, about 30 s; fewer for a quick local run, more for a long one).
 */
class FuzzTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void noMutatedDocumentGetsA5xx() throws Exception {
        int runs = Integer.getInteger("fuzz.runs", 10_000);
        JsonNode cluster = TestService.JSON.readTree(Path.of("..", "examples", "cluster.json").toFile());
        JsonNode jobs = TestService.JSON.readTree(Path.of("..", "examples", "jobs.json").toFile());
        JsonNode signals = TestService.JSON.readTree(Path.of("..", "examples", "signals.json").toFile());
        ObjectNode recommendation = F.objectNode();
        recommendation.set("job", jobs.get("jobs").get(0).deepCopy());
        recommendation.put("limit", 2);
        ObjectNode weights = (ObjectNode) TestService.JSON.readTree(
                "{\"weights\": {\"carbonPriceUsdPerTonne\": 200, \"moveCostWeight\": 2}, \"reason\": \"fuzz\"}");
        ObjectNode optimization = F.objectNode();
        optimization.set("jobs", jobs.deepCopy());
        optimization.put("seconds", 1);
        List<String> nodeNames = new java.util.ArrayList<>();
        cluster.get("nodes").forEach(n -> nodeNames.add(n.get("id").asText()));
        JsonNode extenderArgs = TestService.JSON.readTree(ExtenderPods.args(ExtenderPods.pod(jobs.get("jobs").get(0),
                "fuzz-0", "uid-fuzz"), nodeNames));
        JsonNode bindingArgs = TestService.JSON.readTree("{\"PodName\": \"fuzz-0\", \"PodNamespace\": \"ml\", "
                + "\"PodUID\": \"uid-fuzz\", \"Node\": \"" + nodeNames.get(0) + "\"}");
        JsonNode admissionReview = TestService.JSON.readTree(FuzzTest.class.getResourceAsStream(
                "/kubernetes/extender/admission-review.json"));
        record Target(String method, String path, JsonNode seed) {
        }
        List<Target> targets = List.of(new Target("PUT", "/v1/cluster", cluster),
                new Target("PUT", "/v1/signals", signals), new Target("POST", "/v1/recommendations", recommendation),
                new Target("PUT", "/v1/weights", weights), new Target("POST", "/v1/optimizations", optimization),
                new Target("POST", "/v1/tokens", TestService.JSON.readTree("{\"name\": \"fuzz\", \"role\": "
                        + "\"reporter\", \"expiresDays\": 5}")),
                new Target("POST", "/v1/k8s/extender/filter", extenderArgs),
                new Target("POST", "/v1/k8s/extender/prioritize", extenderArgs),
                new Target("POST", "/v1/k8s/extender/bind", bindingArgs),
                new Target("POST", "/v1/k8s/webhook/gate", admissionReview));
        Random random = new Random(20261201);
        TestDatabase.Credentials db = TestDatabase.fresh();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        try (TestService service = new TestService(db)) {
            for (int i = 0; i < runs; i++) {
                Target target = targets.get(random.nextInt(targets.size()));
                JsonNode doc = target.seed().deepCopy();
                int mutations = 1 + random.nextInt(3);
                for (int m = 0; m < mutations; m++) {
                    doc = JsonMutator.mutate(doc, random);
                }
                String body = random.nextInt(40) == 0 ? JsonMutator.truncate(doc.toString(), random) : doc.toString();
                TestService.Reply reply = target.method().equals("PUT") ? service.put(target.path(), body)
                        : service.post(target.path(), body);
                statuses.merge(reply.status(), 1, Integer::sum);
                String what = target.method() + " " + target.path() + " " + abbreviate(body);
                assertThat(reply.status()).as(what + " -> " + abbreviate(reply.text())).isLessThan(500);
                if (reply.status() == 400) { // the error body, naming the field (or the document, for bad JSON)
                    assertThat(reply.json().get("error").asText()).as(what).isNotBlank();
                    assertThat(reply.json().get("field").asText("")).as(what + " -> " + abbreviate(reply.text()))
                            .isNotBlank();
                }
                if (reply.status() == 202) { // a run started: stop it at once, it is not what is fuzzed here
                    service.delete("/v1/optimizations/" + reply.json().get("id").asText());
                }
            }
        } finally {
            TestDatabase.drop(db);
        }
        System.out.println("fuzz: " + runs + " documents, answers by status " + statuses);
        assertThat(statuses.getOrDefault(400, 0)).as("statuses " + statuses).isPositive();
        assertThat(statuses.getOrDefault(200, 0) + statuses.getOrDefault(202, 0)).as("statuses " + statuses)
                .isPositive();
    }

    /**
     * Bodies in every encoding a caller could send, to every JSON endpoint: a charset other than UTF-8 (known or
     * not) is 415; bytes that are not UTF-8, a malformed gzip body, trailing data after the document and two
     * documents in one body are 400 naming the body; a well-formed gzip body reads as the plain one. Never a 5xx.
     */
    @Test
    void noBodyEncodingGetsA5xx() throws Exception {
        byte[] weights = "{\"weights\": {\"carbonPriceUsdPerTonne\": 201}, \"reason\": \"encoding\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] recommendation = ("{\"job\": " + Recommendations.job("enc", 1, "{\"kind\":\"WHOLE\",\"count\":1}",
                "ANY") + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        record Target(String method, String path, byte[] body) {
        }
        List<Target> targets = List.of(new Target("PUT", "/v1/weights", weights),
                new Target("POST", "/v1/recommendations", recommendation),
                new Target("PUT", "/v1/cluster", java.nio.file.Files.readAllBytes(Path.of("..", "examples",
                        "cluster.json"))),
                new Target("POST", "/v1/k8s/extender/filter", ExtenderPods.args(ExtenderPods.pod(
                        Recommendations.job("enc", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY"), "enc-0", "uid-enc"),
                        List.of("gpu-h100-a")).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new Target("POST", "/v1/k8s/webhook/gate", FuzzTest.class.getResourceAsStream(
                        "/kubernetes/extender/admission-review.json").readAllBytes()));
        TestDatabase.Credentials db = TestDatabase.fresh();
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        try (TestService service = new TestService(db)) {
            int n = 0;
            for (Target t : targets) {
                for (String charset : List.of("utf-7", "x-no-such-charset", "ISO-8859-1", "\"utf-16\"", "")) {
                    int status = send(http, service, t.method(), t.path(), "application/json; charset=" + charset,
                            null, t.body()).statusCode();
                    assertThat(status).as(t.path() + " charset=" + charset).isEqualTo(415);
                }
                assertThat(send(http, service, t.method(), t.path(), "application/json; charset=UTF-8", null,
                        t.body()).statusCode()).as(t.path() + " UTF-8").isLessThan(400);
                byte[] bad = java.util.Arrays.copyOf(t.body(), t.body().length);
                int quote = new String(bad, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('"') + 1;
                bad[quote] = (byte) 0xC3; // a lead byte followed by an ASCII one: not UTF-8
                expect400(send(http, service, t.method(), t.path(), "application/json", null, bad), t.path()
                        + " invalid UTF-8");
                byte[] trailing = (new String(t.body(), java.nio.charset.StandardCharsets.UTF_8) + " x")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                expect400(send(http, service, t.method(), t.path(), "application/json", null, trailing), t.path()
                        + " trailing data");
                byte[] two = (new String(t.body(), java.nio.charset.StandardCharsets.UTF_8) + "\n{}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                expect400(send(http, service, t.method(), t.path(), "application/json", null, two), t.path()
                        + " two documents");
                expect400(send(http, service, t.method(), t.path(), "application/json", "gzip",
                        "not gzip at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), t.path() + " bad gzip");
                java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
                try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
                    gz.write(t.body());
                }
                byte[] cut = java.util.Arrays.copyOf(zipped.toByteArray(), zipped.size() / 2);
                expect400(send(http, service, t.method(), t.path(), "application/json", "gzip", cut), t.path()
                        + " gzip cut short");
                assertThat(send(http, service, t.method(), t.path(), "application/json", "gzip",
                        zipped.toByteArray()).statusCode()).as(t.path() + " gzip").isLessThan(400);
                n++;
            }
            assertThat(n).isEqualTo(targets.size());
        } finally {
            TestDatabase.drop(db);
        }
    }

    private static java.net.http.HttpResponse<String> send(java.net.http.HttpClient http, TestService service,
                                                           String method, String path, String contentType,
                                                           String encoding, byte[] body) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.url()
                + path)).header("Content-Type", contentType).header("Authorization", "Bearer " + service.token())
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static void expect400(java.net.http.HttpResponse<String> reply, String what) throws Exception {
        assertThat(reply.statusCode()).as(what + " -> " + abbreviate(reply.body())).isEqualTo(400);
        JsonNode error = TestService.JSON.readTree(reply.body());
        assertThat(error.get("field").asText("")).as(what + " -> " + reply.body()).isNotBlank();
    }

    /** Every query parameter of the GET endpoints that take them, drawn from values a caller could send. */
    @Test
    void noQueryStringGetsA5xx() throws Exception {
        int runs = Integer.getInteger("fuzz.query-runs", 3_000);
        String[] values = {"2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2026-11-01T00:00:00.123456789Z",
                "+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-11-01", "now", "", " ", "team", "team,zone", "team,team", "hour,day,month", "PLANNED", "DRY_RUN", "planned",
                "job,node,gpuModel,zone,team", "rack", ",", ",,", "team,", "csv", "json", "xml", "CSV", "0", "-1",
                "999999999999999999999", "1e9", "NaN", "\u00e9t\u00e9", "%", "%00", "%zz", "a".repeat(5000), "null",
                "[]", "{}", "cluster", "signals", "weights", "50", "1001"};
        String[] params = {"from", "to", "groupBy", "format", "limit", "before", "kind", "status"};
        String[] paths = {"/v1/reports/emissions", "/v1/reports/emissions/chart.svg", "/v1/reports/queues",
                "/v1/audit", "/v1/actions",
                "/v1/state/versions", "/v1/signals/status", "/v1/telemetry"};
        Random random = new Random(20261202);
        TestDatabase.Credentials db = TestDatabase.fresh();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        try (TestService service = new TestService(db)) {
            for (int i = 0; i < runs; i++) {
                StringBuilder query = new StringBuilder();
                for (String param : params) {
                    if (random.nextInt(3) > 0) {
                        String value = values[random.nextInt(values.length)];
                        query.append(query.length() == 0 ? "?" : "&").append(param).append('=').append(
                                random.nextInt(10) == 0 ? value : java.net.URLEncoder.encode(value,
                                        java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
                String path = paths[random.nextInt(paths.length)] + query;
                TestService.Reply reply;
                try {
                    reply = service.get(path);
                } catch (IllegalArgumentException notAUri) {
                    continue; // the client refuses to send it (a raw % that is no escape): nothing reaches the service
                }
                statuses.merge(reply.status(), 1, Integer::sum);
                assertThat(reply.status()).as(abbreviate(path) + " -> " + abbreviate(reply.text())).isLessThan(500);
                if (reply.status() == 400) {
                    assertThat(reply.json().get("field").asText("")).as(abbreviate(path) + " -> "
                            + abbreviate(reply.text())).isNotBlank();
                }
            }
        } finally {
            TestDatabase.drop(db);
        }
        System.out.println("fuzz: " + runs + " query strings, answers by status " + statuses);
        assertThat(statuses.getOrDefault(400, 0)).as("statuses " + statuses).isPositive();
        assertThat(statuses.getOrDefault(200, 0)).as("statuses " + statuses).isPositive();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
