package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.client.ApiClient;
import io.gpuplacer.client.ApiException;
import io.gpuplacer.client.api.OracleApi;
import io.gpuplacer.client.api.StateApi;
import io.gpuplacer.client.api.WeightsApi;
import io.gpuplacer.client.model.Cluster;
import io.gpuplacer.client.model.RecommendationRequest;
import io.gpuplacer.client.model.RecommendationResponse;
import io.gpuplacer.client.model.Signals;
import io.gpuplacer.client.model.WeightsRequest;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Java client generated from the service's OpenAPI document (openapi-generator, at build time) calls the running
 * service: its models carry real documents both ways, its requests are accepted, and errors come back in the
 * documented shape. A document that typed bodies as strings, or the cluster as an array, would fail here.
 */
class GeneratedClientTest {

    @Test
    void aClientGeneratedFromTheOpenApiDocumentWorksAgainstTheService() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db)) {
            ApiClient client = new ApiClient();
            client.updateBaseUri(service.url());
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + service.token()));
            ObjectMapper mapper = client.getObjectMapper();
            ProblemGenerator.Documents docs = ProblemGenerator.generate(20, 40, 7);

            StateApi state = new StateApi(client);
            Cluster cluster = mapper.convertValue(docs.cluster(), Cluster.class);
            assertThat(state.putCluster(cluster).getNodes()).isEqualTo(20);
            assertThat(state.putSignals(mapper.convertValue(docs.signals(), Signals.class))
                    .getZones()).isEqualTo(docs.cluster().get("zones").size());
            Cluster back = state.cluster();
            assertThat(back.getNodes()).hasSize(20);
            assertThat(mapper.valueToTree(back.getNodes().get(0)).get("id")).isEqualTo(docs.cluster().get("nodes")
                    .get(0).get("id"));

            RecommendationRequest ask = mapper.convertValue(Map.of("job", Map.of("id", "client-job", "priority", 10,
                    "tasks", 1, "gpu", Map.of("kind", "WHOLE", "count", 1), "cpuMillis", 1000, "memoryMiB", 1024,
                    "durationHours", 2, "preemptible", true), "limit", 2), RecommendationRequest.class);
            RecommendationResponse answer = new OracleApi(client).recommend(ask);
            assertThat(answer.getRecommendations()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(answer.getRecommendations().get(0).getPlacements().get(0).getNode()).isNotBlank();

            WeightsRequest weights = new WeightsRequest().weights(Map.of("carbonPriceUsdPerTonne", 250.0))
                    .reason("from the generated client");
            assertThat(new WeightsApi(client).update(weights, "\"1\"").getVersion()).isEqualTo(2); // If-Match: version 1

            // Bad input: 400 with the documented error body naming the field and value.
            cluster.getNodes().get(0).setGpuCount(-1);
            assertThatThrownBy(() -> state.putCluster(cluster)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.getCode()).isEqualTo(400);
                io.gpuplacer.client.model.ApiError error;
                try {
                    error = mapper.readValue(e.getResponseBody(), io.gpuplacer.client.model.ApiError.class);
                } catch (Exception parse) {
                    throw new AssertionError(parse);
                }
                assertThat(error.getField()).isEqualTo("nodes[0].gpuCount");
                assertThat(error.getValue()).isEqualTo("-1");
            });
        } finally {
            TestDatabase.drop(db);
        }
    }
}
