package io.gpuplacer.connectors.kubernetes.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.snapshot.GangSizes;
import io.gpuplacer.connectors.kubernetes.snapshot.PendingPods;
import io.gpuplacer.connectors.kubernetes.snapshot.SnapshotSettings;
import io.gpuplacer.model.interchange.InputException;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** kube-scheduler's extender wire shapes (test resources kubernetes/extender/*.json) in and out. */
class ExtenderProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SnapshotSettings SETTINGS = new SnapshotSettings(Map.of(), SnapshotSettings.RACK_LABEL,
            SnapshotSettings.BLOCK_LABEL, Map.of(), Map.of("NVIDIA-H100-80GB-HBM3", "H100-80GB"),
            SnapshotSettings.TEAM_LABEL, 24);
    private static final GangSizes FOUR = (ns, group) -> ns.equals("nlp") && group.equals("train-llm")
            ? OptionalInt.of(4) : OptionalInt.empty();

    private final ExtenderProtocol protocol = new ExtenderProtocol(new PendingPods(SETTINGS), FOUR);

    static String fixture(String name) throws Exception {
        try (InputStream in = ExtenderProtocolTest.class.getResourceAsStream("/kubernetes/extender/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aGangMembersArgsReadAsItsGangsJobWithTheNamesSent() throws Exception {
        ExtenderProtocol.Args args = protocol.readArgs(fixture("filter-args-names.json"));
        assertThat(args.podError()).isNull();
        assertThat(args.pod()).isEqualTo(new ExtenderProtocol.PodRef("nlp", "train-llm-worker-0",
                "0f6a3c3e-5f4b-4b43-9f0e-2d1c7f0a9b11"));
        assertThat(args.gang()).isTrue();
        assertThat(args.nodeNames()).containsExactly("gpu-h100-a", "gpu-h100-b", "gpu-a100-mig");
        assertThat(args.nodeItems()).isNull();
        // Requests summed over the containers, init containers left out; the gang's size from its PodGroup;
        // the model from the nodeSelector through the settings; the team from its label.
        assertThat(args.job().toString()).isEqualTo(JSON.readTree("""
                {"id":"nlp/train-llm","team":"research","priority":1000,"tasks":4,
                 "gpu":{"kind":"WHOLE","count":8},"cpuMillis":32250,"memoryMiB":262272,"gpuModels":["H100-80GB"],
                 "topology":"RACK","preemptible":false,"checkpointMinutes":30.0,"restartMinutes":0.0,
                 "durationHours":6.0,"utilization":0.8,"earliestStart":null,"deadline":null}""").toString());
    }

    @Test
    void fieldNamesAreReadInAnyCaseAsGosDecoderDoes() throws Exception {
        String lower = fixture("filter-args-names.json").replace("\"Pod\":", "\"pod\":")
                .replace("\"NodeNames\":", "\"nodenames\":");
        ExtenderProtocol.Args args = protocol.readArgs(lower);
        assertThat(args.nodeNames()).hasSize(3);
        assertThat(args.job().get("id").asText()).isEqualTo("nlp/train-llm");
    }

    @Test
    void withNodesTheAnswerReturnsTheNodeObjectsThatPassedAsSent() throws Exception {
        String body = fixture("filter-args-nodes.json");
        ExtenderProtocol.Args args = protocol.readArgs(body);
        assertThat(args.gang()).isFalse();
        assertThat(args.nodeNames()).containsExactly("gpu-h100-a", "gpu-l4-a");
        assertThat(args.job().get("id").asText()).isEqualTo("serving/notebook-7c9d");
        assertThat(args.job().get("gpu")).isEqualTo(JSON.readTree("{\"kind\":\"SHARED\",\"milli\":250}"));
        assertThat(args.job().get("durationHours").asDouble()).isEqualTo(24.0); // the documented default
        assertThat(args.job().get("priority").asInt()).isEqualTo(1);

        ObjectNode result = protocol.filterResult(args, List.of("gpu-l4-a"), Map.of("gpu-h100-a", "no room now"),
                Map.of(), null);
        JsonNode sentL4 = JSON.readTree(body).get("Nodes").get("items").get(1);
        assertThat(result.get("Nodes").get("items")).containsExactly(sentL4);
        assertThat(result.get("NodeNames").isNull()).isTrue();
        assertThat(result.get("FailedNodes").get("gpu-h100-a").asText()).isEqualTo("no room now");
        assertThat(result.get("FailedAndUnresolvableNodes").size()).isZero();
        assertThat(result.get("Error").asText()).isEmpty();
    }

    @Test
    void withNamesTheAnswerNamesTheNodes() throws Exception {
        ExtenderProtocol.Args args = protocol.readArgs(fixture("filter-args-names.json"));
        ObjectNode result = protocol.filterResult(args, List.of("gpu-h100-b"), Map.of(),
                Map.of("gpu-a100-mig", "node is another GPU model"), null);
        assertThat(result.get("NodeNames").toString()).isEqualTo("[\"gpu-h100-b\"]");
        assertThat(result.get("Nodes").isNull()).isTrue();
        assertThat(result.get("FailedAndUnresolvableNodes").get("gpu-a100-mig").asText())
                .isEqualTo("node is another GPU model");
    }

    @Test
    void aGangWithoutAKnownSizeIsTheAnswersErrorNotAWireError() throws Exception {
        ExtenderProtocol unknownSizes = new ExtenderProtocol(new PendingPods(SETTINGS), GangSizes.NONE);
        ExtenderProtocol.Args args = unknownSizes.readArgs(fixture("filter-args-names.json"));
        assertThat(args.job()).isNull();
        assertThat(args.podError()).isEqualTo("pod nlp/train-llm-worker-0: the size of gang nlp/train-llm is "
                + "unknown: give the pods the annotation gpuplacer.io/gang-size, or create its PodGroup with "
                + "spec.minMember");
        ObjectNode result = unknownSizes.filterResult(args, List.of(), Map.of(), Map.of(), args.podError());
        assertThat(result.get("Error").asText()).startsWith("pod nlp/train-llm-worker-0: the size of gang");
    }

    @Test
    void aBadAnnotationIsNamedInTheError() throws Exception {
        String body = fixture("filter-args-names.json").replace("\"gpuplacer.io/topology\": \"RACK\"",
                "\"gpuplacer.io/topology\": \"SIDEWAYS\"");
        assertThat(protocol.readArgs(body).podError()).isEqualTo("pod nlp/train-llm-worker-0: annotation "
                + "gpuplacer.io/topology \"SIDEWAYS\" is not ANY, NODE, ISLAND, RACK or BLOCK");
    }

    @Test
    void nullsWhereKubernetesWouldNeverSendThemAreReadAsAbsent() throws Exception {
        // Found by fuzzing: each was a NullPointerException (a 500) before.
        ExtenderProtocol.Args args = protocol.readArgs("{\"Pod\": {\"metadata\": {\"name\": \"p\", \"annotations\": "
                + "{\"gpuplacer.io/topology\": null}, \"ownerReferences\": [null]}, \"spec\": {\"containers\": "
                + "[null, {\"name\": \"c\", \"resources\": {\"requests\": {\"cpu\": \"1\"}}}]}}, \"NodeNames\": [\"a\"]}");
        assertThat(args.podError()).isNull();
        assertThat(args.job().get("topology").asText()).isEqualTo("ANY");
        assertThat(args.job().get("cpuMillis").asLong()).isEqualTo(1000);
        ExtenderProtocol.Args noValue = protocol.readArgs("{\"Pod\": {\"metadata\": {\"name\": \"p\"}, \"spec\": "
                + "{\"containers\": [{\"name\": \"c\", \"resources\": {\"requests\": {\"cpu\": null}}}]}}, "
                + "\"NodeNames\": [\"a\"]}");
        assertThat(noValue.podError()).isEqualTo("pod default/p: requests cpu has no value");
    }

    @Test
    void bodiesNotInTheShapeAreErrorsNamingTheField() {
        assertThatThrownBy(() -> protocol.readArgs("{\"NodeNames\":[\"a\"]}")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("Pod: missing");
        assertThatThrownBy(() -> protocol.readArgs("not json")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("body: not JSON");
        assertThatThrownBy(() -> protocol.readArgs("{\"Pod\":{\"metadata\":{\"name\":\"p\"}},\"NodeNames\":[1]}"))
                .isInstanceOf(InputException.class).hasMessage("NodeNames[0]: must be a node name");
        assertThatThrownBy(() -> protocol.readArgs("{\"Pod\":{\"metadata\":{\"name\":\"p\"}}}"))
                .isInstanceOf(InputException.class).hasMessageStartingWith("NodeNames: missing, and no Nodes either");
        assertThatThrownBy(() -> protocol.readArgs("{\"Pod\":{\"spec\":{}},\"NodeNames\":[]}"))
                .isInstanceOf(InputException.class).hasMessage("Pod.metadata.name: missing");
        assertThatThrownBy(() -> protocol.readArgs("{\"Pod\":{\"metadata\":{\"name\":\"p\"},\"spec\":{\"priority\":"
                + "\"high\"}},\"NodeNames\":[]}")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("Pod: not a v1 Pod");
    }

    @Test
    void bindingArgsAndResults() throws Exception {
        ExtenderProtocol.BindingArgs args = protocol.readBinding(fixture("bind-args.json"));
        assertThat(args).isEqualTo(new ExtenderProtocol.BindingArgs(new ExtenderProtocol.PodRef("nlp",
                "train-llm-worker-0", "0f6a3c3e-5f4b-4b43-9f0e-2d1c7f0a9b11"), "gpu-h100-a"));
        assertThat(protocol.bindingResult(null).toString()).isEqualTo("{\"Error\":\"\"}");
        assertThat(protocol.bindingResult("refused").toString()).isEqualTo("{\"Error\":\"refused\"}");
        assertThatThrownBy(() -> protocol.readBinding("{\"PodName\":\"p\"}")).isInstanceOf(InputException.class)
                .hasMessage("Node: missing");
    }

    @Test
    void prioritiesAreHostAndScoreWithinZeroToTen() {
        assertThat(protocol.priorities(List.of(new ExtenderProtocol.HostPriority("a", 10),
                new ExtenderProtocol.HostPriority("b", 3), new ExtenderProtocol.HostPriority("c", 42))).toString())
                .isEqualTo("[{\"Host\":\"a\",\"Score\":10},{\"Host\":\"b\",\"Score\":3},{\"Host\":\"c\",\"Score\":10}]");
    }
}
