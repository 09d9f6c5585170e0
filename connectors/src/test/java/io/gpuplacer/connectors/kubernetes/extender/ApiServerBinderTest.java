package io.gpuplacer.connectors.kubernetes.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Binding through fabric8's mock API server in expectation mode (in CRUD mode it stores a Binding without setting
 * the pod's nodeName, so a retry could not be told from a conflict): the binding as kube-scheduler's binder sends
 * it, a retry after a bind that went through, a pod bound elsewhere, a pod that is gone.
 */
@EnableKubernetesMockClient
class ApiServerBinderTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private static io.fabric8.kubernetes.api.model.Status conflict() {
        return new StatusBuilder().withCode(409).withReason("Conflict").withStatus("Failure")
                .withMessage("Operation cannot be fulfilled on pods/binding \"w-0\": pod w-0 is already assigned")
                .build();
    }

    @Test
    void theBindingNamesThePodItsUidAndTheNode() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/nlp/bindings").andReturn(201, "{}").once();
        PodBinder.Outcome outcome = new ApiServerBinder(client).bind("nlp", "w-0", "uid-1", "gpu-a");
        assertThat(outcome).isEqualTo(PodBinder.Outcome.BOUND);
        RecordedRequest request = server.takeRequest();
        Binding sent = Serialization.unmarshal(request.getUtf8Body(), Binding.class);
        assertThat(sent.getMetadata().getName()).isEqualTo("w-0");
        assertThat(sent.getMetadata().getUid()).isEqualTo("uid-1");
        assertThat(sent.getTarget().getKind()).isEqualTo("Node");
        assertThat(sent.getTarget().getName()).isEqualTo("gpu-a");
    }

    @Test
    void aRetryOfABindThatWentThroughIsAlreadyBound() throws Exception {
        server.expect().post().withPath("/api/v1/namespaces/nlp/bindings").andReturn(409, conflict()).once();
        server.expect().get().withPath("/api/v1/namespaces/nlp/pods/w-0").andReturn(200, new PodBuilder()
                .withNewMetadata().withName("w-0").withNamespace("nlp").endMetadata()
                .withNewSpec().withNodeName("gpu-a").endSpec().build()).once();
        assertThat(new ApiServerBinder(client).bind("nlp", "w-0", "uid-1", "gpu-a"))
                .isEqualTo(PodBinder.Outcome.ALREADY_BOUND);
    }

    @Test
    void aPodBoundElsewhereIsAnError() {
        server.expect().post().withPath("/api/v1/namespaces/nlp/bindings").andReturn(409, conflict()).once();
        server.expect().get().withPath("/api/v1/namespaces/nlp/pods/w-0").andReturn(200, new PodBuilder()
                .withNewMetadata().withName("w-0").withNamespace("nlp").endMetadata()
                .withNewSpec().withNodeName("gpu-b").endSpec().build()).once();
        assertThatThrownBy(() -> new ApiServerBinder(client).bind("nlp", "w-0", "uid-1", "gpu-a"))
                .isInstanceOf(PodBinder.BindingException.class).hasMessage("pod nlp/w-0 is bound to gpu-b, not gpu-a");
    }

    @Test
    void aPodThatIsGoneIsAnError() {
        server.expect().post().withPath("/api/v1/namespaces/nlp/bindings").andReturn(404, new StatusBuilder()
                .withCode(404).withReason("NotFound").withMessage("pods \"w-0\" not found").build()).once();
        assertThatThrownBy(() -> new ApiServerBinder(client).bind("nlp", "w-0", "uid-1", "gpu-a"))
                .isInstanceOf(PodBinder.BindingException.class).hasMessage("pod nlp/w-0 does not exist (any more)");
    }
}
