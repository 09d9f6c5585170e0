package io.gpuplacer.connectors.kubernetes.eviction;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Evictions on fabric8's mock API server in expectation mode: the policy/v1 Eviction posted to the pod's eviction
 * subresource, a PodDisruptionBudget's 429 reported (not retried inside the call, as the service's connection is
 * configured), a pod gone, another refusal.
 */
@EnableKubernetesMockClient
class ApiServerEvictionsTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void noRetries() {
        // As KubernetesConnection configures it: no retries inside a call.
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/"))
                .withTrustCerts(true).withRequestRetryBackoffLimit(0).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static io.fabric8.kubernetes.api.model.Status status(int code, String reason) {
        return new StatusBuilder().withCode(code).withReason(reason).withStatus("Failure").withMessage(reason).build();
    }

    @Test
    void anEvictionIsPostedToThePodsEvictionSubresource() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/nlp/pods/w-0/eviction").andReturn(201, "{}").once();
        assertThat(new ApiServerEvictions(client).evict("nlp", "w-0")).isEqualTo(PodEvictions.Outcome.EVICTED);
        Eviction sent = Serialization.unmarshal(server.takeRequest().getUtf8Body(), Eviction.class);
        assertThat(sent.getApiVersion()).isEqualTo("policy/v1");
        assertThat(sent.getMetadata().getName()).isEqualTo("w-0");
        assertThat(sent.getMetadata().getNamespace()).isEqualTo("nlp");
    }

    @Test
    void aDisruptionBudgetsRefusalIsReportedNotForced() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/nlp/pods/w-0/eviction")
                .andReturn(429, status(429, "TooManyRequests")).once();
        server.expect().get().withPath("/api/v1/namespaces/nlp/pods/w-0").andReturn(200, new PodBuilder()
                .withNewMetadata().withName("w-0").withNamespace("nlp").endMetadata().build()).once();
        assertThat(new ApiServerEvictions(client).evict("nlp", "w-0"))
                .isEqualTo(PodEvictions.Outcome.REFUSED_BY_BUDGET);
        assertThat(server.getRequestCount()).as("one eviction asked, one read back: no retry").isEqualTo(2);
    }

    private static PodEvictions.Outcome evictGone(KubernetesClient client) {
        try {
            return new ApiServerEvictions(client).evict("nlp", "gone");
        } catch (PodEvictions.EvictionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPodGoneIsGoneAndAnotherRefusalAnError() {
        server.expect().post().withPath("/api/v1/namespaces/nlp/pods/gone/eviction")
                .andReturn(404, status(404, "NotFound")).once();
        server.expect().post().withPath("/api/v1/namespaces/nlp/pods/w-1/eviction")
                .andReturn(403, status(403, "Forbidden")).once();
        assertThat(evictGone(client)).isEqualTo(PodEvictions.Outcome.GONE);
        assertThatThrownBy(() -> new ApiServerEvictions(client).evict("nlp", "w-1"))
                .isInstanceOf(PodEvictions.EvictionException.class).hasMessageContaining("nlp/w-1").hasMessageContaining("403");
    }
}
