package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.problem.CapacityType;
import io.gpuplacer.model.problem.GpuKind;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.model.problem.Node;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.problem.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemReaderTest {

    @Test
    void readsTheDocumentsWithDefaultsAndResolvedReferences() {
        Problem p = TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, TestDocs.SIGNALS);
        assertThat(p.horizonHours()).isEqualTo(24);
        assertThat(p.nodes()).extracting(Node::id).containsExactly("h1", "h2", "a1", "t1");
        Node h1 = p.node("h1");
        assertThat(h1.islands()).hasSize(2);
        assertThat(h1.islandOf()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(p.node("h2").islands()).containsExactly(List.of(0, 1, 2, 3, 4, 5, 6, 7));
        assertThat(p.node("t1").capacityType()).isEqualTo(CapacityType.SPOT);
        assertThat(p.node("h1").healthy()).isTrue();
        assertThat(p.node("a1").migProfiles()).containsKey("3g.40gb");
        assertThat(p.jobs().get(0).topology()).isEqualTo(Topology.BLOCK);
        assertThat(p.jobs().get(1).topology()).isEqualTo(Topology.ANY);
        assertThat(p.jobs().get(1).utilization()).isEqualTo(1.0);
        assertThat(p.jobs().get(2).gpu().kind()).isEqualTo(GpuKind.MIG);
        assertThat(p.jobs().get(2).gpu().share()).isEqualTo(3 / 7.0);
        assertThat(p.running()).singleElement().satisfies(r -> {
            assertThat(r.node().id()).isEqualTo("h2");
            assertThat(r.occupiedSlots(24)).isEqualTo(3);
            assertThat(r.job().gpu().count()).isEqualTo(2);
        });
    }

    @Test
    void signalsTakeTheLastPointAtOrBeforeEachSlotAndTheFirstBeforeThat() {
        Problem p = TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, TestDocs.SIGNALS);
        double[] carbon = p.zone("DE").signals().carbonGPerKWh();
        assertThat(carbon[0]).isEqualTo(300); // the 23:00 point of the day before
        assertThat(carbon[1]).isEqualTo(300);
        assertThat(carbon[2]).isEqualTo(100);
        assertThat(carbon[23]).isEqualTo(100);
        double[] price = p.zone("DE").signals().priceUsdPerMWh();
        assertThat(price[0]).isEqualTo(80); // before the first point: the first point
        assertThat(price[5]).isEqualTo(80);
        assertThat(p.zone("FR").signals().carbonGPerKWh()).containsOnly(0.0);
        assertThat(p.warnings()).contains("zone FR has no carbon signal: its carbon intensity is taken as 0",
                "zone FR has no price signal: its power price is taken as 0");
    }

    @Test
    void aSlotIsEstimatedWhenThePointItTakesIsFlaggedAndTheNoteSaysHowMany() {
        String signals = """
                {"zones": {"DE": {"carbon": [{"at": "2026-11-22T00:00:00Z", "gPerKWh": 300},
                                             {"at": "2026-11-22T02:00:00Z", "gPerKWh": 100, "estimated": true},
                                             {"at": "2026-11-22T05:00:00Z", "gPerKWh": 90, "estimated": false}],
                                  "price": [{"at": "2026-11-22T00:00:00Z", "usdPerMWh": 80},
                                            {"at": "2026-11-22T10:00:00Z", "usdPerMWh": 70, "estimated": true}]}}}
                """;
        var series = TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, signals).zone("DE").signals();
        // carbon: slots 2..4 take the estimated 02:00 point; price: slots 10..23 the estimated 10:00 point
        assertThat(series.estimated()).containsExactly(false, false, true, true, true, false, false, false, false,
                false, true, true, true, true, true, true, true, true, true, true, true, true, true, true);
        assertThat(series.estimatedInHorizon(0, 6)).isEqualTo(3);
        assertThat(series.estimatedInHorizon(5, 10)).isZero();
        assertThat(series.estimateNote(5, 10)).isEmpty();
        assertThat(series.estimateNote(0, 6)).isEqualTo(" (3 h on estimated signals)");
        assertThat(series.estimateNote(22, 30))
                .isEqualTo(" (2 h on estimated signals; 6 h past the 24-hour horizon, estimated by repeating its last 24 hours)");
        assertThat(series.estimateNote(30, 32)).isEqualTo(" (2 h past the 24-hour horizon, estimated by repeating its last 24 hours)");
        assertThat(TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, TestDocs.SIGNALS).zone("DE").signals().estimated())
                .containsOnly(false);
    }

    @Test
    void aSpotNodeNamingItsPoolTakesThePoolsRateFromTheSignals() throws InputException {
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        ((ObjectNode) cluster.get("nodes").get(3)).put("pool", "t4-spot");   // t1, SPOT, 0.1 of its own
        ((ObjectNode) cluster.get("nodes").get(0)).put("pool", "t4-spot");   // h1, ON_DEMAND: no spot rate
        ObjectNode signals = TestDocs.parse(TestDocs.SIGNALS);
        signals.putObject("spot").putObject("t4-spot").put("interruptionPerHour", 0.002);
        Problem p = new ProblemReader().read(cluster, TestDocs.parse(TestDocs.JOBS), signals);
        assertThat(p.node("t1").interruptionPerHour()).isEqualTo(0.002);
        assertThat(p.node("h1").interruptionPerHour()).isZero();
        signals.putObject("spot").putObject("other-pool").put("interruptionPerHour", 0.002);
        assertThat(new ProblemReader().read(cluster, TestDocs.parse(TestDocs.JOBS), signals).node("t1")
                .interruptionPerHour()).isEqualTo(0.1);
        signals.putObject("spot").putObject("t4-spot").put("interruptionPerHour", 2);
        assertThatThrownBy(() -> new ProblemReader().read(cluster, TestDocs.parse(TestDocs.JOBS), signals))
                .hasMessageContaining("spot.t4-spot.interruptionPerHour").hasMessageContaining("2");
    }

    @Test
    void anEstimatedFlagThatIsNotABooleanNamesTheField() {
        String signals = """
                {"zones": {"DE": {"carbon": [{"at": "2026-11-22T00:00:00Z", "gPerKWh": 300, "estimated": "yes"}]}}}
                """;
        assertThatThrownBy(() -> new ProblemReader().read(TestDocs.parse(TestDocs.CLUSTER), TestDocs.parse(TestDocs.JOBS),
                TestDocs.parse(signals))).hasMessageContaining("zones.DE.carbon[0].estimated").hasMessageContaining("true or false");
    }

    @Test
    void withoutSignalsEveryZoneIsZeroWithAWarning() {
        Problem p = TestDocs.read(TestDocs.CLUSTER, TestDocs.JOBS, null);
        assertThat(p.zone("DE").signals().hasCarbon()).isFalse();
        assertThat(p.warnings()).hasSize(4);
    }

    @Test
    void timeWindowsUseCeilForEarliestStartAndFloorForTheDeadline() {
        ObjectNode jobs = TestDocs.parse(TestDocs.JOBS);
        TestDocs.set(jobs, "jobs[1].earliestStart", TestDocs.JSON.valueToTree("2026-11-22T01:30:00Z"));
        TestDocs.set(jobs, "jobs[1].deadline", TestDocs.JSON.valueToTree("2026-11-22T06:59:00Z"));
        Problem p = TestDocs.read(TestDocs.parse(TestDocs.CLUSTER), jobs, null);
        assertThat(p.earliestStartSlot(p.jobs().get(1))).isEqualTo(2);
        assertThat(p.latestStartSlot(p.jobs().get(1))).isEqualTo(5); // deadline slot 6, 1 slot of work
        assertThat(p.latestStartSlot(p.jobs().get(0))).isZero(); // no deadline: now
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // document, path, new value (null = remove), expected message
                Arguments.of("jobs", "jobs[1].gpu.milli", null, "jobs: jobs[1].gpu.milli: missing (required)"),
                Arguments.of("jobs", "jobs[0].gpu.count", -3, "jobs: jobs[0].gpu.count: -3 must be >= 1"),
                Arguments.of("jobs", "jobs[0].gpu.kind", "TPU",
                        "jobs: jobs[0].gpu.kind: \"TPU\" is not one of WHOLE, SHARED, MIG, NONE"),
                Arguments.of("jobs", "jobs[0].priority", null, "jobs: jobs[0].priority: missing (required)"),
                Arguments.of("jobs", "jobs[0].priority", 0, "jobs: jobs[0].priority: 0 must be >= 1"),
                Arguments.of("jobs", "jobs[0].tasks", 1.5, "jobs: jobs[0].tasks: 1.5 must be a whole number"),
                Arguments.of("jobs", "jobs[0].topology", "MESH", "jobs: jobs[0].topology: \"MESH\" is not one of ANY"),
                Arguments.of("jobs", "jobs[0].cpuMillis", -1, "jobs: jobs[0].cpuMillis: -1 must be >= 0"),
                Arguments.of("jobs", "jobs[0].memoryMiB", "lots", "jobs: jobs[0].memoryMiB: \"lots\" must be a whole"),
                Arguments.of("jobs", "jobs[1].gpu.milli", 1500, "jobs: jobs[1].gpu.milli: 1500 must be <= 1000"),
                Arguments.of("jobs", "jobs[2].gpu.profile", "9g.99gb", "jobs: jobs[2].gpu.profile: \"9g.99gb\" is not a MIG"),
                Arguments.of("jobs", "jobs[0].utilization", 1.5, "jobs: jobs[0].utilization: 1.5 must be <= 1"),
                Arguments.of("jobs", "jobs[0].durationHours", 0, "jobs: jobs[0].durationHours: 0 must be > 0"),
                Arguments.of("jobs", "jobs[0].checkpointMinutes", -30, "jobs: jobs[0].checkpointMinutes: -30 must be >= 0"),
                Arguments.of("jobs", "jobs[0].deadline", "tomorrow", "jobs: jobs[0].deadline: \"tomorrow\" must be an ISO"),
                Arguments.of("jobs", "jobs[0].deadline", "+1000000000-01-01T00:00:00Z",
                        "jobs: jobs[0].deadline: \"+1000000000-01-01T00:00:00Z\" lies too far from now"),
                Arguments.of("jobs", "jobs[0].earliestStart", "-1000000000-01-01T00:00:00Z",
                        "jobs: jobs[0].earliestStart: \"-1000000000-01-01T00:00:00Z\" lies too far from now"),
                Arguments.of("jobs", "now", "+1000000000-01-01T00:00:00Z",
                        "jobs: now: \"+1000000000-01-01T00:00:00Z\" must lie between 1970-01-01T00:00:00Z and"),
                Arguments.of("jobs", "jobs[0].priority", new java.math.BigInteger("18446744073709551617"),
                        "jobs: jobs[0].priority: 18446744073709551617 must be <= 1000000"),
                Arguments.of("jobs", "jobs[0].priority", new java.math.BigInteger("-18446744073709551615"),
                        "jobs: jobs[0].priority: -18446744073709551615 must be >= 1"),
                Arguments.of("jobs", "jobs[0].cpuMillis", 4_000_000_000_000L,
                        "jobs: jobs[0].cpuMillis: 4000000000000 must be <= 1000000000"),
                Arguments.of("jobs", "jobs[0].durationHours", 1e6, "jobs: jobs[0].durationHours: 1000000.0 must be <= 8784"),
                Arguments.of("cluster", "nodes[0].costPerHour", 1e9, "cluster: nodes[0].costPerHour: 1.0E9 must be <= 10000"),
                Arguments.of("cluster", "running[0].node", "a1",
                        "cluster: running[0].node: \"a1\" is MIG-enabled: its GPUs take only MIG tasks, so a WHOLE task"),
                Arguments.of("jobs", "jobs[0].preemptible", "yes", "jobs: jobs[0].preemptible: \"yes\" must be true or false"),
                Arguments.of("jobs", "jobs[0].gpuModels", "H100", "jobs: jobs[0].gpuModels: \"H100\" must be a JSON array"),
                Arguments.of("jobs", "jobs[1].id", "j1", "jobs: jobs[1].id: \"j1\" is used by two jobs"),
                Arguments.of("jobs", "jobs[1].id", "run-1", "jobs: jobs[1].id: \"run-1\" is already running"),
                Arguments.of("jobs", "now", "2026-11-22T00:30:00Z", "jobs: now: \"2026-11-22T00:30:00Z\" must be on a whole hour"),
                Arguments.of("jobs", "now", null, "jobs: now: missing (required)"),
                Arguments.of("jobs", "horizonHours", 200, "jobs: horizonHours: 200 must be <= 168"),
                Arguments.of("jobs", "jobs", null, "jobs: jobs: missing (required)"),
                Arguments.of("cluster", "nodes[0].zone", "XX", "cluster: nodes[0].zone: \"XX\" is not a zone of the cluster"),
                Arguments.of("cluster", "nodes[0].capacityType", "PREEMPTIBLE",
                        "cluster: nodes[0].capacityType: \"PREEMPTIBLE\" is not one of ON_DEMAND, SPOT, RESERVED"),
                Arguments.of("cluster", "nodes[0].gpuCount", -1, "cluster: nodes[0].gpuCount: -1 must be >= 0"),
                Arguments.of("cluster", "nodes[0].costPerHour", -5, "cluster: nodes[0].costPerHour: -5 must be >= 0"),
                Arguments.of("cluster", "nodes[0].baseWatts", null, "cluster: nodes[0].baseWatts: missing (required)"),
                Arguments.of("cluster", "nodes[0].interruptionPerHour", 2, "cluster: nodes[0].interruptionPerHour: 2 must be <= 1"),
                Arguments.of("cluster", "nodes[0].nvlinkIslands", new int[][]{{0, 9}},
                        "cluster: nodes[0].nvlinkIslands[0][1]: 9 must be <= 7"),
                Arguments.of("cluster", "nodes[0].nvlinkIslands", new int[][]{{0, 1}, {1, 2}},
                        "cluster: nodes[0].nvlinkIslands[1]: GPU 1 is already in another island"),
                Arguments.of("cluster", "nodes[3].migEnabled", true, "cluster: nodes[3].gpuModel: \"T4\" has no MIG profiles"),
                Arguments.of("cluster", "nodes[1].id", "h1", "cluster: nodes[1].id: \"h1\" is used by two nodes"),
                Arguments.of("cluster", "zones[0].pue", 0.5, "cluster: zones[0].pue: 0.5 must be >= 1"),
                Arguments.of("cluster", "running[0].node", "ghost", "cluster: running[0].node: \"ghost\" is not a node"),
                Arguments.of("cluster", "running[0].gpus", new int[]{0}, "cluster: running[0].gpus: [0] must list 2 GPU indexes"),
                Arguments.of("cluster", "running[0].gpus", new int[]{0, 0}, "cluster: running[0].gpus: [0,0] lists a GPU twice"),
                Arguments.of("cluster", "running[0].remainingHours", -1, "cluster: running[0].remainingHours: -1 must be >= 0"),
                Arguments.of("signals", "zones.XX", TestDocs.parse("{}"), "signals: zones.XX: \"XX\" is not a zone"),
                Arguments.of("signals", "zones.DE.carbon", TestDocs.parse("{\"a\":[{\"at\":\"2026-11-22T00:00:00Z\",\"gPerKWh\":-1}]}").get("a"),
                        "signals: zones.DE.carbon[0].gPerKWh: -1 must be >= 0"),
                Arguments.of("signals", "zones.DE.price", TestDocs.parse("{\"a\":[{\"usdPerMWh\":1}]}").get("a"),
                        "signals: zones.DE.price[0].at: missing (required)"));
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @MethodSource("badInputs")
    void everyContractViolationNamesTheFieldAndValue(String document, String path, Object value, String message) {
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        ObjectNode jobs = TestDocs.parse(TestDocs.JOBS);
        ObjectNode signals = TestDocs.parse(TestDocs.SIGNALS);
        ObjectNode target = switch (document) {
            case "cluster" -> cluster;
            case "jobs" -> jobs;
            default -> signals;
        };
        JsonNode json = value == null ? null : value instanceof JsonNode j ? j : TestDocs.JSON.valueToTree(value);
        TestDocs.set(target, path, json);
        assertThatThrownBy(() -> new ProblemReader().read(cluster, jobs, signals))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aRunningMigTaskOnANodeWithoutMigIsAnInputError() {
        ObjectNode cluster = TestDocs.parse(TestDocs.CLUSTER);
        TestDocs.set(cluster, "running[0].gpu", TestDocs.parse("{\"kind\": \"MIG\", \"profile\": \"3g.40gb\"}"));
        TestDocs.set(cluster, "running[0].gpus", TestDocs.array(0));
        TestDocs.set(cluster, "running[0].migStart", TestDocs.JSON.valueToTree(4));
        assertThatThrownBy(() -> new ProblemReader().read(cluster, TestDocs.parse(TestDocs.JOBS), null))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("cluster: running[0].node: \"h2\" is not MIG-enabled, so a MIG task cannot");
        // The same task on the MIG node a1 is fine.
        TestDocs.set(cluster, "running[0].node", TestDocs.JSON.valueToTree("a1"));
        assertThat(TestDocs.read(cluster, TestDocs.parse(TestDocs.JOBS), null).running()).hasSize(1);
    }

    @Test
    void aDeadlineFarInThePastLeavesTheJobUnplaceable() {
        ObjectNode jobs = TestDocs.parse(TestDocs.JOBS);
        TestDocs.set(jobs, "jobs[1].deadline", TestDocs.JSON.valueToTree("-100000-01-01T00:00:00Z"));
        Problem p = TestDocs.read(TestDocs.parse(TestDocs.CLUSTER), jobs, null);
        Job j2 = p.jobs().get(1);
        assertThat(p.latestStartSlot(j2)).isLessThan(p.earliestStartSlot(j2));
    }

    @Test
    void syntaxErrorsNameTheFileLineAndColumn(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cluster = dir.resolve("cluster.json");
        Path jobs = dir.resolve("jobs.json");
        Files.writeString(cluster, TestDocs.CLUSTER);
        Files.writeString(jobs, "{\"now\": \"2026-11-22T00:00:00Z\",\n \"jobs\": [ }");
        assertThatThrownBy(() -> new ProblemReader().read(cluster, jobs, null))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("jobs.json: invalid JSON at line 2");
        assertThatThrownBy(() -> new ProblemReader().read(dir.resolve("nope.json"), jobs, null))
                .hasMessageContaining("nope.json: no such file");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> ProblemReader.parse("{\"now\": 1, \"now\": 2}", "jobs.json"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("Duplicate field 'now'");
    }
}
