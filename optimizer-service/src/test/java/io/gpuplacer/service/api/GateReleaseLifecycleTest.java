package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.gates.GatedPods;
import io.gpuplacer.service.actions.ActionLog;
import io.gpuplacer.service.actions.GateRelease;
import io.gpuplacer.service.replica.ReplicaLocks;
import io.gpuplacer.service.state.ClusterState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What happens to a gated pod over its life, with the gated pods from a port the test sets (on the bundled example
 * cluster): a gang whose member was recreated is planned again and released; a pod that cannot be placed before
 * its deadline is released without a node when the last hour to start in time comes.
 */
class GateReleaseLifecycleTest {

    /** The pods the test says are gated; records releases as "ns/name node". */
    static class Gates implements GatedPods {
        final List<GatedPod> pods = new CopyOnWriteArrayList<>();
        final List<String> released = new ArrayList<>();

        @Override
        public List<GatedPod> gated() {
            return List.copyOf(pods);
        }

        @Override
        public void release(String namespace, String name, String node, List<String> gangNodes) {
            released.add(namespace + "/" + name + " " + node);
            pods.removeIf(p -> p.name().equals(name));
        }

        void add(String name, ObjectNode job) {
            pods.add(new GatedPod("ml", name, "uid-" + name, job.get("id").asText(), job, null, job.get("id").asText()));
        }
    }

    TestDatabase.Credentials db;
    TestService service;
    Gates gates;
    GateRelease release;
    ReplicaLocks.Leadership lead;

    @BeforeEach
    void start() {
        db = TestDatabase.fresh();
        service = new TestService(db);
        gates = new Gates();
        release = new GateRelease(gates, service.context().getBean(ClusterState.class),
                service.context().getBean(ActionLog.class), true, 200, Duration.ofHours(1), (id, j) -> { });
        lead = service.context().getBean(ReplicaLocks.class).confirm();
    }

    @AfterEach
    void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    private List<JsonNode> actions(String target) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : service.get("/v1/actions?limit=1000").json()) {
            if (a.get("target").asText().equals(target)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Fails without the re-plan: the gang kept one member's old action and the new member none, for ever. */
    @Test
    void aGangWhoseMemberWasRecreatedIsPlannedAgainAndReleased() {
        ObjectNode job = (ObjectNode) Recommendations.job("ml/gang", 2, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        gates.add("gang-0", job);
        gates.add("gang-1", job);
        Instant now = Instant.now();
        release.tick(now, lead); // planned, due in the current hour
        assertThat(actions("ml/gang-0")).hasSize(1);
        gates.pods.removeIf(p -> p.name().equals("gang-1")); // its controller recreated it under a new name
        gates.add("gang-2", job);
        release.tick(now, lead);
        assertThat(actions("ml/gang-1").get(0).get("status").asText()).isEqualTo("SUPERSEDED");
        assertThat(actions("ml/gang-0").get(0).get("status").asText()).as("newest first: planned again")
                .isEqualTo("PLANNED");
        assertThat(actions("ml/gang-0").get(1).get("status").asText()).isEqualTo("SUPERSEDED");
        assertThat(actions("ml/gang-0").get(1).get("reason").asText()).contains("recreated");
        release.tick(now, lead);
        assertThat(gates.released).hasSize(2);
        assertThat(String.join(" ", gates.released)).contains("ml/gang-0 ", "ml/gang-2 ");
        assertThat(actions("ml/gang-2").get(0).get("status").asText()).isEqualTo("APPLIED");
    }

    /**
     * The pods already released are known from the database, not from the leader's memory: a new leader (another
     * GateRelease) does not plan a released pod again while the watcher still lists it gated. Fails with the set
     * in memory: the second leader planned and released it a second time.
     */
    @Test
    void aPodReleasedUnderOneLeaderIsNotReleasedAgainByTheNext() {
        ObjectNode job = (ObjectNode) Recommendations.job("ml/once", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
        Gates lagging = new Gates() {
            @Override
            public void release(String namespace, String name, String node, List<String> gangNodes) {
                released.add(namespace + "/" + name + " " + node); // and the watcher still lists it gated
            }
        };
        lagging.add("once-0", job);
        GateRelease first = new GateRelease(lagging, service.context().getBean(ClusterState.class),
                service.context().getBean(ActionLog.class), true, 200, Duration.ofHours(1), (id, j) -> { });
        Instant now = Instant.now();
        first.tick(now, lead);
        first.tick(now, lead);
        assertThat(lagging.released).hasSize(1);
        GateRelease next = new GateRelease(lagging, service.context().getBean(ClusterState.class),
                service.context().getBean(ActionLog.class), true, 200, Duration.ofHours(1), (id, j) -> { });
        next.tick(now, lead);
        next.tick(now, lead);
        assertThat(lagging.released).hasSize(1);
        assertThat(actions("ml/once-0")).hasSize(1);
    }

    /** Fails without the deadline: a pod with no place stayed gated past it, for ever. */
    @Test
    void aPodWithNoPlaceIsReleasedWithoutANodeWhenItsLastStartHourComes() {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        ObjectNode job = (ObjectNode) Recommendations.job("ml/huge", 1, "{\"kind\":\"WHOLE\",\"count\":64}", "ANY");
        job.put("deadline", hour.plus(5, ChronoUnit.HOURS).toString()); // 2 h long: it must start by hour + 3
        gates.add("huge-0", job);
        release.tick(hour.plus(1, ChronoUnit.HOURS), lead);
        assertThat(gates.released).as("still time to wait").isEmpty();
        release.tick(hour.plus(3, ChronoUnit.HOURS), lead);
        assertThat(gates.released).containsExactly("ml/huge-0 null");
        JsonNode action = actions("ml/huge-0").get(0);
        assertThat(action.get("status").asText()).isEqualTo("APPLIED");
        assertThat(action.get("reason").asText()).contains("gate removed without a node", "deadline");
        release.tick(hour.plus(3, ChronoUnit.HOURS), lead);
        assertThat(gates.released).hasSize(1);
        assertThat(actions("ml/huge-0")).as("one row: nothing planned again").hasSize(1);
    }
}
