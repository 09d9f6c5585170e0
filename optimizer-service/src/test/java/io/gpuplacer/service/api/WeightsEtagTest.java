package io.gpuplacer.service.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Optimistic concurrency on the weights: GET gives the version as an ETag; a PUT with a stale If-Match is 412
 * naming the version in force and changes nothing; without If-Match a PUT behaves as it always did.
 */
class WeightsEtagTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(TestService service, String method, String ifMatch, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.url() + "/v1/weights"))
                .header("Authorization", "Bearer " + service.token()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String change(int price) {
        return "{\"weights\": {\"carbonPriceUsdPerTonne\": " + price + "}, \"reason\": \"etag " + price + "\"}";
    }

    @Test
    void aStaleIfMatchIs412AndChangesNothing() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db)) {
            HttpResponse<String> read = send(service, "GET", null, null);
            assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");

            HttpResponse<String> first = send(service, "PUT", "\"1\"", change(300));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.headers().firstValue("ETag")).hasValue("\"2\"");

            // A second writer that read version 1 too: refused, told the version in force.
            HttpResponse<String> stale = send(service, "PUT", "\"1\"", change(400));
            assertThat(stale.statusCode()).isEqualTo(412);
            assertThat(stale.headers().firstValue("ETag")).hasValue("\"2\"");
            assertThat(TestService.JSON.readTree(stale.body()).get("field").asText()).isEqualTo("If-Match");
            assertThat(TestService.JSON.readTree(stale.body()).get("error").asText()).contains("version 2, not 1");
            assertThat(TestService.JSON.readTree(send(service, "GET", null, null).body()).get("weights")
                    .get("carbonPriceUsdPerTonne").asDouble()).isEqualTo(300);

            assertThat(send(service, "PUT", "W/\"2\"", change(500)).statusCode()).as("weak ETag").isEqualTo(200);
            assertThat(send(service, "PUT", "*", change(600)).statusCode()).as("any version").isEqualTo(200);
            assertThat(send(service, "PUT", null, change(700)).statusCode()).as("no If-Match").isEqualTo(200);
            HttpResponse<String> bad = send(service, "PUT", "version five", change(800));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(TestService.JSON.readTree(bad.body()).get("field").asText()).isEqualTo("If-Match");
            assertThat(service.get("/v1/weights/history").json()).hasSize(5);
        } finally {
            TestDatabase.drop(db);
        }
    }
}
