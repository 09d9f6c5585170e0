package io.gpuplacer.connectors.kubernetes.gates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mutating webhook on AdmissionReview v1 fixtures in the API server's shape. */
class AdmissionGateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode review() throws Exception {
        try (InputStream in = AdmissionGateTest.class.getResourceAsStream("/kubernetes/extender/admission-review.json")) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static JsonNode patch(JsonNode review) throws Exception {
        JsonNode response = review.get("response");
        return JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
    }

    @Test
    void aGpuPodIsGatedWithAJsonPatchAndTheRequestsUid() throws Exception {
        AdmissionGate.Decision d = new AdmissionGate(Set.of(), false).review(review().toString());
        assertThat(d.gated()).isTrue();
        assertThat(d.pod()).isEqualTo("nlp/finetune-*");
        JsonNode response = d.review().get("response");
        assertThat(d.review().get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(d.review().get("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(response.get("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(patch(d.review()).toString()).isEqualTo("[{\"op\":\"add\",\"path\":\"/spec/schedulingGates\","
                + "\"value\":[{\"name\":\"gpuplacer.io/placement\"}]}]");
    }

    @Test
    void aPodWithGatesOfItsOwnGetsOursAppended() throws Exception {
        ObjectNode review = review();
        ((ObjectNode) review.get("request").get("object").get("spec")).putArray("schedulingGates").addObject()
                .put("name", "example.com/quota");
        AdmissionGate.Decision d = new AdmissionGate(Set.of(), false).review(review.toString());
        assertThat(patch(d.review()).toString()).isEqualTo("[{\"op\":\"add\",\"path\":\"/spec/schedulingGates/-\","
                + "\"value\":{\"name\":\"gpuplacer.io/placement\"}}]");
    }

    @Test
    void everyOtherRequestIsAllowedUnchangedWithTheReason() throws Exception {
        ObjectNode cpuOnly = review();
        ((ObjectNode) cpuOnly.at("/request/object/spec/containers/0/resources/requests")).remove("nvidia.com/gpu");
        ObjectNode optedOut = review();
        ((ObjectNode) optedOut.at("/request/object/metadata/annotations")).put("gpuplacer.io/gate", "false");
        ObjectNode bound = review();
        ((ObjectNode) bound.at("/request/object/spec")).put("nodeName", "gpu-a");
        ObjectNode update = review();
        ((ObjectNode) update.get("request")).put("operation", "UPDATE");
        AdmissionGate gate = new AdmissionGate(Set.of(), false);
        assertThat(gate.review(cpuOnly.toString()).reason()).isEqualTo("asks for no GPU");
        assertThat(gate.review(optedOut.toString()).reason()).isEqualTo("opted out (gpuplacer.io/gate: \"false\")");
        assertThat(gate.review(bound.toString()).reason()).isEqualTo("already bound to gpu-a");
        assertThat(gate.review(update.toString()).reason()).isEqualTo("not a pod being created");
        assertThat(new AdmissionGate(Set.of("serving"), false).review(review().toString()).reason())
                .isEqualTo("namespace nlp is not opted in");
        AdmissionGate.Decision dryRun = new AdmissionGate(Set.of(), true).review(review().toString());
        assertThat(dryRun.reason()).isEqualTo("dry-run: would be gated");
        for (ObjectNode r : new ObjectNode[]{cpuOnly, optedOut, bound, update}) {
            JsonNode response = gate.review(r.toString()).review().get("response");
            assertThat(response.get("allowed").asBoolean()).isTrue();
            assertThat(response.has("patch")).isFalse();
        }
        assertThat(dryRun.review().get("response").has("patch")).isFalse();
    }

    @Test
    void aPodWithoutMetadataIsLetThrough() throws Exception {
        // Found by fuzzing: a NullPointerException (a 500) before.
        ObjectNode review = review();
        ((ObjectNode) review.at("/request/object")).remove("metadata");
        AdmissionGate.Decision d = new AdmissionGate(Set.of(), false).review(review.toString());
        assertThat(d.gated()).isFalse();
        assertThat(d.reason()).isEqualTo("no metadata");
    }

    @Test
    void aBodyThatIsNoReviewIsAnErrorNamingTheField() {
        AdmissionGate gate = new AdmissionGate(Set.of(), false);
        assertThatThrownBy(() -> gate.review("{}")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("request.uid: missing");
        assertThatThrownBy(() -> gate.review("{")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("body: not JSON");
    }
}
