package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.bench.ProblemGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code serve} processes on one database: a change through one reaches the other within seconds, one of them
 * leads, and when the leader is killed the other takes over within 15 s and fails the dead one's run.
 */
class ReplicaTest {

    @Test
    void changesReachTheOtherReplicaAndALeaderKilledIsReplacedWithin15Seconds() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        ChildService a = ChildService.start(db, Map.of());
        ChildService b = null;
        try {
            assertThat(await(a, "/health", h -> h.path("details").path("replica").path("details").path("leader")
                    .asBoolean(), 20_000)).isTrue();
            // A run solving on A while B starts: B must not take it for a dead replica's.
            String run = json(a.send("POST", "/v1/optimizations", "{\"jobs\": " + java.nio.file.Files.readString(
                    java.nio.file.Path.of("..", "examples", "jobs.json")) + ", \"seconds\": 300}", 202)).get("id")
                    .asText();
            b = ChildService.start(db, Map.of());
            JsonNode bHealth = json(b.send("GET", "/health", "", 200));
            assertThat(bHealth.get("details").get("replica").get("details").get("leader").asBoolean()).isFalse();
            assertThat(a.send("GET", "/prometheus", "", 200)).contains("gpuplacer_replica_leader 1.0");
            assertThat(b.send("GET", "/prometheus", "", 200)).contains("gpuplacer_replica_leader 0.0");

            // A change through A reaches B (cluster, signals, weights), and one through B reaches A.
            ProblemGenerator.Documents docs = ProblemGenerator.generate(30, 60, 9);
            long t0 = System.nanoTime();
            a.send("PUT", "/v1/cluster", docs.cluster().toString(), 200);
            a.send("PUT", "/v1/signals", docs.signals().toString(), 200);
            ChildService bb = b;
            assertThat(await(bb, "/v1/cluster", c -> c.path("nodes").size() == 30, 10_000)).isTrue();
            assertThat(await(bb, "/v1/signals", s -> s.equals(docs.signals()), 10_000)).isTrue();
            double stateSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            b.send("PUT", "/v1/weights", "{\"weights\": {\"carbonPriceUsdPerTonne\": 321}, \"reason\": \"replica\"}",
                    200);
            assertThat(await(a, "/v1/weights", w -> w.path("weights").path("carbonPriceUsdPerTonne").asDouble() == 321,
                    10_000)).isTrue();
            double weightsSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("replica sync: state reached the other replica in %.1f s, weights in %.1f s%n",
                    stateSeconds, weightsSeconds);
            assertThat(stateSeconds).isLessThan(10);
            String job = "{\"job\": " + Recommendations.job("r1", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY") + "}";
            JsonNode fromA = json(a.send("POST", "/v1/recommendations", job, 200));
            JsonNode fromB = json(b.send("POST", "/v1/recommendations", job, 200));
            assertThat(fromB.get("recommendations")).as("the same state and weights: the same answer")
                    .isEqualTo(fromA.get("recommendations"));
            assertThat(fromB.get("weightsVersion")).isEqualTo(fromA.get("weightsVersion"));

            assertThat(json(b.send("GET", "/v1/optimizations/" + run, "", 200)).get("status").asText())
                    .as("a live replica's run").isEqualTo("SOLVING");

            // The leader dies mid-run: B leads within 15 s and fails A's run; B answers throughout.
            a.kill();
            long killed = System.nanoTime();
            while (!json(b.send("GET", "/health", "", 200)).get("details").get("replica").get("details")
                    .get("leader").asBoolean()) {
                b.send("POST", "/v1/recommendations", job, 200);
                assertThat((System.nanoTime() - killed) / 1e9).as("failover").isLessThan(15);
                Thread.sleep(200);
            }
            double failover = (System.nanoTime() - killed) / 1e9;
            assertThat(await(bb, "/v1/optimizations/" + run, r -> r.path("status").asText().equals("FAILED"), 15_000))
                    .isTrue();
            System.out.printf("failover: replica B led %.1f s after the leader was killed%n", failover);
        } finally {
            a.kill();
            if (b != null) {
                b.terminate();
            }
            TestDatabase.drop(db);
        }
    }

    private static JsonNode json(String text) throws Exception {
        return TestService.JSON.readTree(text);
    }

    private static boolean await(ChildService service, String path, Predicate<JsonNode> until, long millis)
            throws Exception {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (until.test(json(service.send("GET", path, "", 200)))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * A leader stalled past its lease (SIGSTOP) is replaced; resumed (SIGCONT), it steps down within one poll
     * (before its scheduled work runs, which confirms leadership first), and exactly one replica leads, in a newer
     * epoch.
     */
    @Test
    void aStalledLeaderIsReplacedAndStepsDownWithinOnePollOnceResumed() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        Map<String, String> fast = Map.of("GPUPLACER_LEADER_POLL_SECONDS", "2", "GPUPLACER_LEADER_LEASE_SECONDS", "8");
        ChildService a = ChildService.start(db, fast);
        ChildService b = null;
        try {
            assertThat(await(a, "/health", h -> replica(h).path("leader").asBoolean(), 20_000)).isTrue();
            long first = replica(json(a.send("GET", "/health", "", 200))).path("epoch").asLong();
            assertThat(first).isPositive();
            b = ChildService.start(db, fast);
            assertThat(replica(json(b.send("GET", "/health", "", 200))).path("leader").asBoolean()).isFalse();

            a.signal("STOP");
            long stalled = System.nanoTime();
            ChildService bb = b;
            assertThat(await(bb, "/health", h -> replica(h).path("leader").asBoolean(), 30_000))
                    .as("B leads once A's session timed out").isTrue();
            double failover = (System.nanoTime() - stalled) / 1e9;
            long second = replica(json(b.send("GET", "/health", "", 200))).path("epoch").asLong();
            assertThat(second).isGreaterThan(first);

            a.signal("CONT");
            long resumed = System.nanoTime();
            assertThat(await(a, "/health", h -> !replica(h).path("leader").asBoolean(), 2_000 + 500))
                    .as("A steps down within one poll (2 s)").isTrue();
            double stepDown = (System.nanoTime() - resumed) / 1e9;
            for (int i = 0; i < 10; i++) { // and it stays so: one leader, B, in its epoch
                JsonNode ra = replica(json(a.send("GET", "/health", "", 200)));
                JsonNode rb = replica(json(b.send("GET", "/health", "", 200)));
                assertThat(ra.path("leader").asBoolean()).isFalse();
                assertThat(rb.path("leader").asBoolean()).isTrue();
                assertThat(rb.path("epoch").asLong()).isEqualTo(second);
                Thread.sleep(300);
            }
            assertThat(a.send("GET", "/prometheus", "", 200)).contains("gpuplacer_replica_leader 0.0");
            assertThat(a.log()).contains("is no longer the leader (epoch " + first + ")");
            System.out.printf("stall: B led %.1f s after A stopped (lease 8 s, poll 2 s); A stepped down %.2f s after"
                    + " it resumed%n", failover, stepDown);
        } finally {
            a.signal("CONT");
            a.kill();
            if (b != null) {
                b.terminate();
            }
            TestDatabase.drop(db);
        }
    }

    private static JsonNode replica(JsonNode health) {
        return health.path("details").path("replica").path("details");
    }

    /**
     * A cluster version whose insert commits after a later signals version did is still loaded by the other
     * replica. Fails when replicas sync on the table's newest id: the signals' id was taken as "all loaded" and the
     * cluster never was.
     */
    @Test
    void aClusterCommittedAfterALaterSignalsVersionReachesTheOtherReplica() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        ProblemGenerator.Documents first = ProblemGenerator.generate(30, 10, 5);
        ProblemGenerator.Documents late = ProblemGenerator.generate(31, 10, 6);
        try (TestService a = new TestService(db); TestService b = new TestService(db)) {
            assertThat(a.put("/v1/cluster", first.cluster().toString()).status()).isEqualTo(200);
            assertThat(a.put("/v1/signals", first.signals().toString()).status()).isEqualTo(200);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password())) {
                c.setAutoCommit(false);
                try (java.sql.PreparedStatement st = c.prepareStatement("INSERT INTO state_version (kind, body_gz, "
                        + "created_by, created_at) VALUES ('cluster', ?, 'slow writer', ?)")) {
                    st.setBytes(1, io.gpuplacer.service.persistence.StateVersionRecord.of("cluster",
                            late.cluster().toString(), "x", java.time.Instant.now(), null).bodyGz());
                    st.setTimestamp(2, java.sql.Timestamp.from(java.time.Instant.now()));
                    st.executeUpdate(); // its id is taken now; it commits later
                }
                assertThat(a.put("/v1/signals", late.signals().toString()).status()).isEqualTo(200);
                assertThat(awaitJson(b, "/v1/signals", s -> s.equals(late.signals()))).isTrue();
                c.commit();
            }
            assertThat(awaitJson(b, "/v1/cluster", s -> s.path("nodes").size() == 31))
                    .as("the late cluster reaches B").isTrue();
        } finally {
            TestDatabase.drop(db);
        }
    }

    /**
     * A run is one service's, whichever replica is asked: its event stream from the replica that does not solve it
     * follows it to its end, a DELETE through that replica cancels it, and max-active-runs counts runs on every
     * replica. Each failed before: the stream ended at once, the DELETE answered 200 and did nothing, and the other
     * replica took a run more.
     */
    @Test
    void aRunIsCancelledFollowedAndCountedThroughEitherReplica() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        ProblemGenerator.Documents docs = ProblemGenerator.generate(30, 60, 9);
        java.util.Map<String, Object> one = java.util.Map.of("gpuplacer.max-active-runs", 1);
        try (TestService a = new TestService(db, one); TestService b = new TestService(db, one)) {
            assertThat(a.put("/v1/cluster", docs.cluster().toString()).status()).isEqualTo(200);
            assertThat(a.put("/v1/signals", docs.signals().toString()).status()).isEqualTo(200);
            String run = a.post("/v1/optimizations", "{\"jobs\": " + docs.jobs() + ", \"seconds\": 300}").json()
                    .get("id").asText();
            assertThat(awaitJson(b, "/v1/cluster", c -> c.path("nodes").size() == 30)).isTrue();
            TestService.Reply second = b.post("/v1/optimizations", "{\"jobs\": " + docs.jobs() + ", \"seconds\": 5}");
            assertThat(second.status()).as(second.text()).isEqualTo(429);

            java.util.concurrent.CompletableFuture<java.util.List<io.micronaut.http.sse.Event<String>>> stream =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> b.events("/v1/optimizations/" + run
                            + "/events"));
            Thread.sleep(12_000); // a checkpoint or two while B follows
            assertThat(stream).as("B's stream follows the run while it solves").isNotDone();
            assertThat(b.delete("/v1/optimizations/" + run).status()).isEqualTo(200);
            assertThat(awaitJson(b, "/v1/optimizations/" + run, r -> r.path("status").asText().equals("CANCELLED")))
                    .as("cancelled through B").isTrue();
            java.util.List<io.micronaut.http.sse.Event<String>> events = stream.get(30, java.util.concurrent.TimeUnit
                    .SECONDS);
            assertThat(events).isNotEmpty();
            assertThat(events.get(events.size() - 1).getName()).isEqualTo("CANCELLED");
            assertThat(events.stream().filter(e -> "progress".equals(e.getName()))).as("checkpoints seen from B")
                    .isNotEmpty();
            assertThat(b.post("/v1/optimizations", "{\"jobs\": " + docs.jobs() + ", \"seconds\": 1}").status())
                    .as("room again").isEqualTo(202);
        } finally {
            TestDatabase.drop(db);
        }
    }

    /**
     * kube-scheduler reaches the extender through a Service: two members of one gang filtered through two replicas
     * get the two places of one reservation, and a steering hint written on one replica steers on the other.
     * Fails with the reservations and hints in each replica's memory: both members went to the same node.
     */
    @Test
    void gangMembersAndSteeredPodsGetOneAnswerWhicheverReplicaTheyReach() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        ProblemGenerator.Documents docs = ProblemGenerator.generate(30, 10, 3);
        try (TestService a = new TestService(db); TestService b = new TestService(db)) {
            assertThat(a.put("/v1/cluster", docs.cluster().toString()).status()).isEqualTo(200);
            assertThat(a.put("/v1/signals", docs.signals().toString()).status()).isEqualTo(200);
            assertThat(awaitJson(b, "/v1/cluster", c -> c.path("nodes").size() == 30)).isTrue();
            assertThat(awaitJson(b, "/v1/signals", s -> s.equals(docs.signals()))).isTrue();
            java.util.List<String> nodes = new java.util.ArrayList<>();
            docs.cluster().get("nodes").forEach(n -> nodes.add(n.get("id").asText()));
            JsonNode gang = Recommendations.job("ml/pair", 2, "{\"kind\":\"WHOLE\",\"count\":8}", "ANY");
            JsonNode first = a.call("POST", "/v1/k8s/extender/filter", ExtenderPods.args(ExtenderPods.pod(gang,
                    "pair-0", "uid-pair-0"), nodes), a.token()).json();
            JsonNode second = b.call("POST", "/v1/k8s/extender/filter", ExtenderPods.args(ExtenderPods.pod(gang,
                    "pair-1", "uid-pair-1"), nodes), b.token()).json();
            assertThat(first.get("NodeNames")).as(first.toString()).hasSize(1);
            assertThat(second.get("NodeNames")).as(second.toString()).hasSize(1);
            assertThat(second.get("NodeNames").get(0).asText()).as("the other place of the same reservation")
                    .isNotEqualTo(first.get("NodeNames").get(0).asText());
            // Asked again through the other replica, each member keeps its place.
            JsonNode again = a.call("POST", "/v1/k8s/extender/filter", ExtenderPods.args(ExtenderPods.pod(gang,
                    "pair-1", "uid-pair-1"), nodes), a.token()).json();
            assertThat(again.get("NodeNames")).isEqualTo(second.get("NodeNames"));

            // A hint the leader wrote (A) steers the controller's replacement through B.
            JsonNode solo = Recommendations.job("ml/solo", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY");
            com.fasterxml.jackson.databind.node.ObjectNode pod = ExtenderPods.pod(solo, "solo-x2", "uid-solo-x2");
            ((com.fasterxml.jackson.databind.node.ObjectNode) pod.get("metadata")).putArray("ownerReferences")
                    .addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", "solo")
                    .put("uid", "rs-solo").put("controller", true);
            JsonNode free = b.call("POST", "/v1/k8s/extender/filter", ExtenderPods.args(pod, nodes), b.token())
                    .json();
            String target = free.get("NodeNames").get(free.get("NodeNames").size() - 1).asText();
            String controller = pod.get("metadata").get("namespace").asText() + "/solo";
            a.context().getBean(io.gpuplacer.service.actions.SteeringHints.class).steer(controller, target);
            JsonNode steered = null;
            long end = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < end) {
                steered = b.call("POST", "/v1/k8s/extender/filter", ExtenderPods.args(pod, nodes), b.token()).json();
                if (steered.get("NodeNames").size() == 1) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(steered.get("NodeNames").toString()).as(steered.toString()).isEqualTo("[\"" + target + "\"]");
        } finally {
            TestDatabase.drop(db);
        }
    }

    private static boolean awaitJson(TestService service, String path, Predicate<JsonNode> until) throws Exception {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            if (until.test(service.get(path).json())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * Cluster snapshots PUT through two replicas at once: each answered 200 (or 409 when a newer snapshot was
     * stored first), never 500. Fails without the retry of a transaction that lost a deadlock (5 in 128 were 500).
     */
    @Test
    void clusterSnapshotsPutThroughTwoReplicasAtOnceAreNever500() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        ProblemGenerator.Documents docs = ProblemGenerator.generate(40, 10, 5);
        try (TestService one = new TestService(db); TestService two = new TestService(db)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            java.util.List<java.util.concurrent.Future<TestService.Reply>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                for (TestService replica : java.util.List.of(one, two)) {
                    answers.add(pool.submit(() -> replica.put("/v1/cluster", docs.cluster().toString())));
                }
            }
            java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (java.util.concurrent.Future<TestService.Reply> answer : answers) {
                TestService.Reply r = answer.get();
                statuses.merge(r.status(), 1, Integer::sum);
                assertThat(r.status()).as(r.text()).isIn(200, 409);
            }
            pool.shutdown();
            System.out.println("cluster PUTs through two replicas at once: " + statuses);
            assertThat(statuses.getOrDefault(200, 0)).isPositive();
        } finally {
            TestDatabase.drop(db);
        }
    }

    /** Fails without the retry in WeightsService.update: two replicas take the same version number. */
    @Test
    void weightsChangedThroughTwoReplicasAtOnceAreAllKeptInOneHistory() throws Exception {
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService one = new TestService(db); TestService two = new TestService(db)) {
            int each = 12;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < each; i++) {
                for (TestService replica : java.util.List.of(one, two)) {
                    int n = answers.size();
                    answers.add(pool.submit(() -> replica.put("/v1/weights", "{\"weights\": {\"moveCostUsd\": "
                            + (n + 1) + "}, \"reason\": \"race " + n + "\"}").status()));
                }
            }
            for (java.util.concurrent.Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
            pool.shutdown();
            JsonNode history = json(one.get("/v1/weights/history").text());
            assertThat(history).hasSize(1 + 2 * each);
            java.util.Set<String> reasons = new java.util.HashSet<>(history.findValuesAsText("reason"));
            assertThat(reasons).hasSize(1 + 2 * each);
            long newest = history.get(history.size() - 1).get("version").asLong();
            long end = System.currentTimeMillis() + 10_000;
            while (json(two.get("/v1/weights").text()).get("version").asLong() != newest
                    && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            assertThat(json(two.get("/v1/weights").text()).get("version").asLong()).isEqualTo(newest);
        } finally {
            TestDatabase.drop(db);
        }
    }
}
