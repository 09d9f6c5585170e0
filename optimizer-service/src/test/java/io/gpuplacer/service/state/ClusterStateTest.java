package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.problem.RunningTask;
import io.gpuplacer.service.persistence.StateStore;
import io.gpuplacer.service.persistence.StateVersionRecord;
import io.gpuplacer.service.persistence.StateVersionRepository;
import io.gpuplacer.service.persistence.WeightsVersionRecord;
import io.gpuplacer.service.persistence.WeightsVersionRepository;
import io.gpuplacer.service.weights.WeightsService;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The state the oracle serves: running work ages with the clock, and a rebuild never waits for a write. */
class ClusterStateTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(String start) {
            this.now = new AtomicReference<>(Instant.parse(start));
        }

        void set(String at) {
            now.set(Instant.parse(at));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** The state documents in memory; {@code gate}, when set, holds every save until it opens. */
    private static final class Store {
        final Map<String, StateVersionRecord> rows = new HashMap<>();
        long lastId;
        volatile CountDownLatch gate;
        final CountDownLatch saving = new CountDownLatch(1);

        StateStore store() {
            return new StateStore((StateVersionRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{StateVersionRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "findNewest" -> Optional.ofNullable(rows.get((String) args[0]));
                        case "findNewestId" -> rows.containsKey((String) args[0]) ? rows.get((String) args[0]).id() : 0L;
                        case "save" -> {
                            saving.countDown();
                            if (gate != null) {
                                gate.await();
                            }
                            StateVersionRecord given = (StateVersionRecord) args[0];
                            StateVersionRecord r = new StateVersionRecord(++lastId, given.kind(), given.body(),
                                    given.bodyGz(), given.createdBy(), given.createdAt(), given.restoredFrom());
                            rows.put(r.kind(), r);
                            yield r;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }), null, null, null, null); // no ledger: these tests construct the state without one
        }
    }

    private static WeightsService weights(Clock clock) {
        WeightsVersionRepository repository = (WeightsVersionRepository) Proxy.newProxyInstance(
                ClusterStateTest.class.getClassLoader(), new Class<?>[]{WeightsVersionRepository.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "findLatest" -> Optional.empty();
                    case "save" -> (WeightsVersionRecord) args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        WeightsService service = new WeightsService(repository, clock);
        try {
            var load = WeightsService.class.getDeclaredMethod("load");
            load.setAccessible(true);
            load.invoke(service);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return service;
    }

    private static ClusterState state(Store store, TestClock clock) {
        ClusterState state = new ClusterState(store.store(), weights(clock), clock,
                new io.gpuplacer.service.config.ServiceSettings(24, 1, false, 10, 8, 1000, 90, 1000, 0, 1, 90, "./data"), false,
                null, io.gpuplacer.service.persistence.ChangeWriter.DIRECT);
        state.load();
        return state;
    }

    private static double remaining(ClusterState state) {
        return state.view().base().running().stream().mapToDouble(RunningTask::remainingHours).findFirst()
                .orElse(-1);
    }

    @Test
    void runningWorkCountsDownBetweenSnapshotsAndEndsWhenItsHoursAreUp() throws Exception {
        TestClock clock = new TestClock("2026-11-22T10:40:00Z");
        ClusterState state = state(new Store(), clock);
        JsonNode cluster = TestDocs.parse(TestDocs.CLUSTER); // run-1: 2.5 h left, observed at 10:40, so until 13:10
        state.replaceCluster(cluster, "test");
        // Slot 0 starts at 10:00: from there, 2.5 h + 40 min.
        assertThat(remaining(state)).isCloseTo(2.5 + 40 / 60.0, within(1e-9));
        clock.set("2026-11-22T12:10:00Z");
        assertThat(state.view().base().now()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
        assertThat(remaining(state)).isCloseTo(70 / 60.0, within(1e-9));
        clock.set("2026-11-22T13:05:00Z");
        assertThat(remaining(state)).isCloseTo(10 / 60.0, within(1e-9));
        clock.set("2026-11-22T14:00:00Z");
        assertThat(state.view().base().running()).isEmpty();
        // Optimization runs read the same aged state.
        assertThat(state.problemWith(TestDocs.JSON.createArrayNode()).running()).isEmpty();
    }

    @Test
    void aStoredSnapshotAgesFromWhenItWasStoredAcrossARestart() throws Exception {
        TestClock clock = new TestClock("2026-11-22T10:00:00Z");
        Store store = new Store();
        state(store, clock).replaceCluster(TestDocs.parse(TestDocs.CLUSTER), "test");
        clock.set("2026-11-22T11:30:00Z");
        assertThat(remaining(state(store, clock))).isCloseTo(1.5, within(1e-9)); // slot 0 at 11:00: 2.5 - 1
    }

    @Test
    void theHourlyRebuildDoesNotWaitForADatabaseWrite() throws Exception {
        TestClock clock = new TestClock("2026-11-22T10:00:00Z");
        Store store = new Store();
        ClusterState state = state(store, clock);
        state.view();
        store.gate = new CountDownLatch(1);
        CompletableFuture<ClusterState.Documents> put = CompletableFuture.supplyAsync(() -> {
            try {
                return state.replaceCluster(TestDocs.parse(TestDocs.CLUSTER), "test");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(store.saving.await(10, TimeUnit.SECONDS)).isTrue(); // the PUT is inside its database write
        clock.set("2026-11-22T11:00:00Z");
        try {
            OracleView view = CompletableFuture.supplyAsync(state::view).get(10, TimeUnit.SECONDS);
            assertThat(view.base().now()).isEqualTo(Instant.parse("2026-11-22T11:00:00Z"));
            assertThat(put).isNotDone();
        } finally {
            store.gate.countDown();
        }
        assertThat(put.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        assertThat(state.view().base().running()).hasSize(1);
    }
}
