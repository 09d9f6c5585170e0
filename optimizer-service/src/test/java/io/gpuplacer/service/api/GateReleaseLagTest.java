package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.gates.GatedPods;
import io.gpuplacer.service.actions.ActionLog;
import io.gpuplacer.service.actions.GateRelease;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watcher sees a release a moment after it was sent: a pod released (or released in a dry run) and still
 * listed as gated is not planned again. Here the gated pods come from a port that keeps listing the pod, on the
 * bundled example cluster.
 */
class GateReleaseLagTest {

    /** Lists one pod as gated whatever happens; counts the releases. */
    static final class LaggingGates implements GatedPods {
        final List<String> released = new ArrayList<>();
        final ObjectNode job;
        final String uid;

        LaggingGates(ObjectNode job, String uid) {
            this.job = job;
            this.uid = uid;
        }

        @Override
        public List<GatedPod> gated() {
            return List.of(new GatedPod("ml", "lagging", uid, job.get("id").asText(), job, null,
                    job.get("id").asText()));
        }

        @Override
        public void release(String namespace, String name, String node, List<String> gangNodes) {
            released.add(namespace + "/" + name + " " + node);
        }
    }

    @Test
    void aPodReleasedButStillListedGatedIsNotPlannedAgain() {
        try (TestService service = new TestService(TestDatabase.fresh())) {
            ObjectNode job = (ObjectNode) Recommendations.job("ml/lagging", 1, "{\"kind\":\"WHOLE\",\"count\":1}",
                    "ANY");
            for (boolean apply : new boolean[]{true, false}) {
                LaggingGates gates = new LaggingGates(job, "uid-lagging-" + apply); // a pod of its own each time
                GateRelease release = new GateRelease(gates, service.context().getBean(ClusterState.class),
                        service.context().getBean(ActionLog.class), apply, 200,
                        java.time.Duration.ofHours(1), (id, j) -> { });
                Instant now = Instant.now();
                ReplicaLocks.Leadership lead = service.context().getBean(ReplicaLocks.class).confirm();
                release.tick(now, lead);      // planned
                release.tick(now, lead);      // released (or a dry run)
                release.tick(now, lead);      // still listed: nothing new
                release.tick(now, lead);
                int rows = 0;
                for (JsonNode a : service.get("/v1/actions?limit=1000").json()) {
                    rows += a.get("target").asText().equals("ml/lagging") ? 1 : 0;
                }
                assertThat(rows).as("apply " + apply).isEqualTo(apply ? 1 : 2);
                assertThat(gates.released).hasSize(apply ? 1 : 0);
            }
        }
    }
}
