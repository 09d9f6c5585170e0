package io.gpuplacer.service.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.TestDocs;
import io.gpuplacer.model.IndependentTotals;
import io.gpuplacer.model.interchange.Plan;
import io.gpuplacer.model.interchange.PlanIO;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.model.validation.PlanValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The command line end to end, on the bundled example. */
class MainTest {

    static final Path EXAMPLES = Path.of("..", "examples");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("solve", "validate", "generate", "benchmark");
        assertThat(run()).isEqualTo(2);
        assertThat(run("solve", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--cluster", "--seconds", "--out");
    }

    @Test
    void solveWritesAValidPlanForTheExample(@TempDir Path dir) throws Exception {
        Path planFile = dir.resolve("plan.json");
        int code = run("solve", "--cluster", EXAMPLES.resolve("cluster.json").toString(),
                "--jobs", EXAMPLES.resolve("jobs.json").toString(),
                "--signals", EXAMPLES.resolve("signals.json").toString(), "--seconds", "3", "--out", planFile.toString());
        assertThat(code).as(stderr()).isZero();
        assertThat(stderr()).contains("best 0hard/", "jobs: ", "totals: ", "moves/s");

        Problem problem = new ProblemReader().read(EXAMPLES.resolve("cluster.json"), EXAMPLES.resolve("jobs.json"),
                EXAMPLES.resolve("signals.json"));
        Plan plan = PlanIO.read(planFile);
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.score()).startsWith("0hard/");
        assertThat(PlanValidator.validate(problem, plan)).isEmpty();
        Plan.Totals recomputed = IndependentTotals.of(problem, plan); // section 6 slot by slot, no shared code
        assertThat(plan.totals().co2eKg()).isCloseTo(recomputed.co2eKg(), within(1e-9));
        assertThat(plan.totals().nodeCostUsd()).isCloseTo(recomputed.nodeCostUsd(), within(1e-9));
        assertThat(plan.totals().expectedPreemptionLossGpuHours())
                .isCloseTo(recomputed.expectedPreemptionLossGpuHours(), within(1e-9));
        assertThat(plan.totals().energyKWh()).isPositive();
        // The example's blocked jobs come back with the rule that blocked them.
        assertThat(plan.unplaced()).anySatisfy(u -> {
            assertThat(u.job()).isEqualTo("want-h200");
            assertThat(u.reason()).contains("another GPU model than [H200-141GB]");
        }).anySatisfy(u -> {
            assertThat(u.job()).isEqualTo("too-late");
            assertThat(u.reason()).contains("window is empty");
        }).anySatisfy(u -> {
            assertThat(u.job()).isEqualTo("legacy-eval");
            assertThat(u.task()).isZero();
            assertThat(u.reason()).contains("h100-008 is unhealthy and the task is not migratable");
        });
        // The migratable task on the unhealthy node moves; the gang of the example is placed whole.
        assertThat(plan.moves()).anySatisfy(m -> {
            assertThat(m.job()).isEqualTo("finetune-3");
            assertThat(m.fromNode()).isEqualTo("h100-008");
        });
        assertThat(plan.placements()).filteredOn(p -> p.job().equals("train-42")).hasSize(2);
        assertThat(plan.constraints()).extracting(Plan.ConstraintScore::id).contains("gpuExclusive", "unplacedWork");
        assertThat(plan.warnings()).isEmpty();
        // Every job is explained: the blocked ones by the rule, the placed ones by where, when and what it cost.
        assertThat(plan.explanations()).hasSize(problem.jobs().size());
        assertThat(plan.explanations()).filteredOn(e -> e.job().equals("want-h200")).singleElement().satisfies(e -> {
            assertThat(e.placed()).isFalse();
            assertThat(e.summary()).startsWith("unplaced: no node can take");
            assertThat(e.terms()).extracting(Plan.Term::constraint).containsExactly("unplacedWork");
        });
        assertThat(plan.explanations()).filteredOn(e -> e.job().equals("pretrain-big")).singleElement().satisfies(e -> {
            assertThat(e.placed()).isTrue();
            assertThat(e.summary()).contains("(window 0..28)", "g/kWh");
            assertThat(e.terms()).anySatisfy(t -> {
                assertThat(t.constraint()).isEqualTo("nodeCost");
                assertThat(t.usd()).isPositive();
            });
        });
    }

    @Test
    void solveWithSourcesAsksEachOnceAndSolvesOnWhatTheyGaveOverTheSignalsFile(@TempDir Path dir) throws Exception {
        java.time.Instant now = java.time.Instant.parse("2024-03-18T00:00:00Z"); // the example queue's now
        try (io.gpuplacer.connectors.signals.ReplayServer emaps = new io.gpuplacer.connectors.signals.ReplayServer()) {
            StringBuilder history = new StringBuilder("{\"zone\": \"DE\", \"history\": [");
            for (int h = -23; h <= 0; h++) {
                history.append(h == -23 ? "" : ",").append("{\"carbonIntensity\": ").append(200 + h)
                        .append(", \"datetime\": \"").append(now.plusSeconds(3600L * h)).append("\"}");
            }
            StringBuilder forecast = new StringBuilder("{\"zone\": \"DE\", \"forecast\": [");
            for (int h = 1; h <= 5; h++) {
                forecast.append(h == 1 ? "" : ",").append("{\"carbonIntensity\": ").append(300 + h)
                        .append(", \"datetime\": \"").append(now.plusSeconds(3600L * h)).append("\"}");
            }
            emaps.on("/v3/carbon-intensity/history", io.gpuplacer.connectors.signals.ReplayServer.Answer.ok(history + "]}"));
            emaps.on("/v3/carbon-intensity/forecast", io.gpuplacer.connectors.signals.ReplayServer.Answer.ok(forecast + "]}"));
            Path sources = Files.writeString(dir.resolve("sources.yml"), """
                    sources:
                      - { zone: DE-LU, signal: carbon, provider: electricitymaps, url: "%s", provider-zone: DE, token: "${GPUPLACER_TEST_TOKEN:t0ken}" }
                      - { pool: h100-spot, signal: spot, provider: fixed, interruption-per-hour: 0.003 }
                    """.formatted(emaps.base()));
            Path signalsOut = dir.resolve("signals-used.json");
            int code = run("solve", "--cluster", EXAMPLES.resolve("cluster.json").toString(),
                    "--jobs", EXAMPLES.resolve("jobs.json").toString(), "--signals",
                    EXAMPLES.resolve("signals.json").toString(), "--sources", sources.toString(),
                    "--signals-out", signalsOut.toString(), "--seconds", "0", "--out", dir.resolve("plan.json").toString());
            assertThat(code).as(stderr()).isZero();
            assertThat(stderr()).contains("sources: DE-LU carbon electricitymaps: 29 hours; 6 of the 48-hour horizon "
                    + "given, 47 estimated", "sources: h100-spot spot fixed: 72 hours; 48 of the 48-hour horizon given, "
                    + "0 estimated");
            assertThat(emaps.seen).hasSize(2).allSatisfy(s ->
                    assertThat(s.headers().get("Auth-token")).containsExactly("t0ken"));
            var used = TestDocs.parse(Files.readString(signalsOut));
            var carbon = used.get("zones").get("DE-LU").get("carbon");
            assertThat(carbon).hasSize(48);
            assertThat(carbon.get(0).get("gPerKWh").asDouble()).isEqualTo(200);
            assertThat(carbon.get(3).get("gPerKWh").asDouble()).isEqualTo(303);
            assertThat(carbon.get(10).get("gPerKWh").asDouble()).isEqualTo(200 - 14); // 24 hours before
            assertThat(carbon.get(10).get("estimated").asBoolean()).isTrue();
            assertThat(used.get("zones").get("US-CAL-CISO")).isEqualTo(TestDocs.parse(Files.readString(
                    EXAMPLES.resolve("signals.json"))).get("zones").get("US-CAL-CISO"));
            assertThat(used.get("spot").get("h100-spot").get("interruptionPerHour").asDouble()).isEqualTo(0.003);
            // The plan solved with them checks against them.
            Problem problem = new ProblemReader().read(EXAMPLES.resolve("cluster.json"), EXAMPLES.resolve("jobs.json"),
                    signalsOut);
            assertThat(PlanValidator.validate(problem, PlanIO.read(dir.resolve("plan.json")))).isEmpty();
        }
        Path unset = Files.writeString(dir.resolve("unset.yml"), "sources:\n  - { zone: DE-LU, signal: carbon, "
                + "provider: electricitymaps, token: \"${GPUPLACER_NO_SUCH_VARIABLE}\" }\n");
        assertThat(run("solve", "--cluster", EXAMPLES.resolve("cluster.json").toString(), "--jobs",
                EXAMPLES.resolve("jobs.json").toString(), "--sources", unset.toString())).isEqualTo(2);
        assertThat(stderr()).contains("${GPUPLACER_NO_SUCH_VARIABLE} is not set in the environment");
    }

    @Test
    void solveWritesToStandardOutputWithoutOut() throws Exception {
        int code = run("solve", "--cluster", EXAMPLES.resolve("cluster.json").toString(),
                "--jobs", EXAMPLES.resolve("jobs.json").toString(), "--seconds", "0");
        assertThat(code).as(stderr()).isZero();
        Plan plan = TestDocs.JSON.readValue(out.toString(StandardCharsets.UTF_8), Plan.class);
        assertThat(plan.placements()).isNotEmpty();
        // Without signals every zone's carbon and price are 0, and the plan says so.
        assertThat(plan.totals().co2eKg()).isZero();
        assertThat(plan.warnings()).contains("zone DE-LU has no carbon signal: its carbon intensity is taken as 0");
    }

    @Test
    void badInputExitsWithTwoNamesTheFieldAndWritesNothing(@TempDir Path dir) throws Exception {
        ObjectNode jobs = (ObjectNode) TestDocs.JSON.readTree(EXAMPLES.resolve("jobs.json").toFile());
        TestDocs.set(jobs, "jobs[3].gpu.count", TestDocs.JSON.valueToTree(-3));
        Path badJobs = dir.resolve("jobs.json");
        Files.writeString(badJobs, jobs.toString());
        Path planFile = dir.resolve("plan.json");
        Files.writeString(planFile, "previous plan");

        int code = run("solve", "--cluster", EXAMPLES.resolve("cluster.json").toString(), "--jobs",
                badJobs.toString(), "--out", planFile.toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("error: " + badJobs + ": jobs[3].gpu.count: -3 must be >= 1");
        assertThat(Files.readString(planFile)).isEqualTo("previous plan");
        assertThat(out.size()).isZero();
    }

    @Test
    void weightsAreListedAndAppliedAndBadOnesNamed(@TempDir Path dir) throws Exception {
        assertThat(run("solve", "--list-weights")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| carbonPriceUsdPerTonne | USD per tonne CO2e | 100 |",
                "| gpuFragmentationWeight |");

        Path weights = dir.resolve("weights.json");
        Files.writeString(weights, "{\"carbonPriceUsdPerTonne\": 99999}");
        String[] solve = {"solve", "--cluster", EXAMPLES.resolve("cluster.json").toString(), "--jobs",
                EXAMPLES.resolve("jobs.json").toString(), "--weights", weights.toString(), "--seconds", "0"};
        assertThat(run(solve)).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("error: " + weights
                + ": carbonPriceUsdPerTonne: 99999 is out of range 0..10000 (USD per tonne CO2e)");

        Files.writeString(weights, "{\"nodeCostWeight\": 0, \"energyCostWeight\": 0}");
        out.reset();
        assertThat(run(solve)).as(stderr()).isZero();
        Plan plan = TestDocs.JSON.readValue(out.toString(StandardCharsets.UTF_8), Plan.class);
        assertThat(plan.constraints()).filteredOn(c -> c.id().equals("nodeCost"))
                .singleElement().satisfies(c -> assertThat(c.score()).isEqualTo("0soft"));
    }

    /** The ledger benchmark writes its hours through the service's own writers and reports on them. */
    @Test
    void ledgerBenchmarkWritesItsHoursAndReports() {
        int code = run("ledger-benchmark", "--nodes", "6", "--hours", "3", "--runs", "1");
        assertThat(code).as(stderr()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("3 hourly snapshots").contains("groupBy=team,zone")
                .contains("savings alone (");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("solve", "--cluster", "c.json")).isEqualTo(2);
        assertThat(stderr()).contains("solve: --jobs is required");
        assertThat(run("solve", "--cluster", "c.json", "--jobs", "j.json", "--speed", "9")).isEqualTo(2);
        assertThat(stderr()).contains("Unknown options: '--speed', '9'", "try 'solve --help'");
        assertThat(run("solve", "--cluster", "c.json", "--jobs", "j.json", "--seconds", "ten")).isEqualTo(2);
        assertThat(stderr()).contains("Invalid value for option '--seconds': 'ten' is not a long");
        assertThat(run("solve", "--cluster", "c.json", "--jobs", "j.json", "--seconds", "-1")).isEqualTo(2);
        assertThat(stderr()).contains("solve: --seconds -1 must be between 0 and 86400");
        assertThat(run("solve", "--cluster", "missing.json", "--jobs", "j.json")).isEqualTo(2);
        assertThat(stderr()).contains("missing.json: no such file");
        assertThat(run("solve", "--cluster", "c.json", "--jobs", "j.json", "--out", "no/such/dir/plan.json"))
                .isEqualTo(2);
        assertThat(stderr()).contains("does not exist");
        assertThat(run("deploy")).isEqualTo(2);
        assertThat(run("fairness-benchmark", "--load", "0")).isEqualTo(2);
        assertThat(stderr()).contains("fairness-benchmark: --load 0.0 must be between 0.1 and 10");
        assertThat(run("fairness-benchmark", "--season", "monsoon")).isEqualTo(2);
        assertThat(stderr()).contains("fairness-benchmark: --season monsoon is not one of [");
    }

    @Test
    void validateAcceptsASolvedPlanAndRejectsABrokenOne(@TempDir Path dir) throws Exception {
        Path planFile = dir.resolve("plan.json");
        String[] inputs = {"--cluster", EXAMPLES.resolve("cluster.json").toString(), "--jobs",
                EXAMPLES.resolve("jobs.json").toString(), "--signals", EXAMPLES.resolve("signals.json").toString()};
        assertThat(run(concat(new String[]{"solve", "--seconds", "0", "--out", planFile.toString()}, inputs))).isZero();
        assertThat(run(concat(new String[]{"validate", "--plan", planFile.toString()}, inputs))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid: 0 broken rule(s); totals match");

        Plan plan = PlanIO.read(planFile);
        Plan.Placement first = plan.placements().get(0);
        plan.placements().set(0, new Plan.Placement(first.job(), first.task(), first.node(), first.gpus(),
                first.migStart(), first.startSlot() + 50));
        PlanIO.write(plan, planFile);
        assertThat(run(concat(new String[]{"validate", "--plan", planFile.toString()}, inputs))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("outside the horizon", "INVALID");
    }

    @Test
    void theQueuesExamplePreemptsWhatItMayAndValidateNamesTheRuleQueueFlavorAndSlot(@TempDir Path dir)
            throws Exception {
        Path planFile = dir.resolve("plan.json");
        Path queues = EXAMPLES.resolve("queues");
        String[] inputs = {"--cluster", queues.resolve("cluster.json").toString(), "--jobs",
                queues.resolve("jobs.json").toString(), "--signals", queues.resolve("signals.json").toString()};
        assertThat(run(concat(new String[]{"solve", "--seconds", "1", "--out", planFile.toString()}, inputs)))
                .isZero();
        Plan plan = PlanIO.read(planFile);
        assertThat(plan.preemptions()).containsExactlyInAnyOrder(
                new Plan.Preemption("lab-run", 0, "h3", "nlp-train", "InCohortReclamation"),
                new Plan.Preemption("lab-run", 1, "h3", "nlp-train", "InCohortReclamation"));
        assertThat(plan.placements()).extracting(Plan.Placement::job)
                .containsExactlyInAnyOrder("nlp-train", "solo-batch", "vision-eval");
        assertThat(plan.placements()).filteredOn(p -> p.job().equals("solo-batch"))
                .allMatch(p -> p.startSlot() >= 3); // solo is over its quota until solo-run ends
        assertThat(run(concat(new String[]{"validate", "--plan", planFile.toString()}, inputs))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid: 0 broken rule(s); totals match");

        // Taking the preemptions out leaves lab's borrowed GPUs in use: the cohort lends too much.
        PlanIO.write(plan.withPreemptions(java.util.List.of()), planFile);
        assertThat(run(concat(new String[]{"validate", "--plan", planFile.toString()}, inputs))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("broken: Q2: cohort research, flavor H100-80GB, "
                + "slot 0: queues use 12 GPUs above their guarantees", "totals differ", "INVALID");
    }

    @Test
    void validateNamesTheFieldOfAMalformedPlanAndReportsRuleBreaksWithoutATrace(@TempDir Path dir) throws Exception {
        Path planFile = dir.resolve("plan.json");
        String[] inputs = {"--cluster", EXAMPLES.resolve("cluster.json").toString(), "--jobs",
                EXAMPLES.resolve("jobs.json").toString(), "--signals", EXAMPLES.resolve("signals.json").toString()};
        assertThat(run(concat(new String[]{"solve", "--seconds", "0", "--out", planFile.toString()}, inputs))).isZero();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode solved = json.readTree(planFile.toFile());
        // Every field of a placement and of a move, set to every kind of value a caller could write.
        Object[] values = {null, -1, -2147483649L, 99, 1e300, "x", true, List.of(), java.util.Arrays.asList(0, null),
                List.of(-5, 400), java.util.Map.of()};
        String[][] fields = {{"placements", "job"}, {"placements", "task"}, {"placements", "node"},
                {"placements", "gpus"}, {"placements", "migStart"}, {"placements", "startSlot"},
                {"moves", "job"}, {"moves", "task"}, {"moves", "fromNode"}, {"moves", "toNode"}, {"moves", "gpus"},
                {"moves", "migStart"}, {"unplaced", "job"}, {"totals", "energyKWh"}};
        int malformed = 0;
        int broken = 0;
        for (String[] field : fields) {
            for (Object value : values) {
                com.fasterxml.jackson.databind.node.ObjectNode plan = solved.deepCopy();
                com.fasterxml.jackson.databind.JsonNode parent = plan.get(field[0]);
                com.fasterxml.jackson.databind.node.ObjectNode target = (com.fasterxml.jackson.databind.node.ObjectNode)
                        (parent.isArray() ? parent.get(0) : parent);
                target.set(field[1], json.valueToTree(value));
                java.nio.file.Files.writeString(planFile, plan.toString());
                out.reset();
                err.reset();
                int code = run(concat(new String[]{"validate", "--plan", planFile.toString()}, inputs));
                String what = field[0] + "." + field[1] + " = " + value;
                assertThat(code).as(what).isIn(0, 1, 2);
                assertThat(stderr()).as(what).doesNotContain("failed:", "Exception");
                if (code == 2) {
                    malformed++;
                    String path = parent.isArray() ? field[0] + "[0]." + field[1] : field[0] + "." + field[1];
                    assertThat(stderr()).as(what).contains(path, "plan.json");
                } else if (code == 1) {
                    broken++;
                    assertThat(out.toString(StandardCharsets.UTF_8)).as(what).contains("INVALID");
                }
            }
        }
        assertThat(malformed).isPositive();
        assertThat(broken).isPositive();

        // The two of the issue: a negative start is a broken rule (exit 1), a null GPU index bad input (exit 2).
        com.fasterxml.jackson.databind.node.ObjectNode plan = solved.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) plan.get("placements").get(0)).put("startSlot", -3);
        java.nio.file.Files.writeString(planFile, plan.toString());
        out.reset();
        assertThat(run(concat(new String[]{"validate", "--plan", planFile.toString()}, inputs))).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("startSlot -3 is outside the horizon");
        plan = solved.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) plan.get("placements").get(0)).set("gpus",
                json.readTree("[null]"));
        java.nio.file.Files.writeString(planFile, plan.toString());
        err.reset();
        assertThat(run(concat(new String[]{"validate", "--plan", planFile.toString()}, inputs))).isEqualTo(2);
        assertThat(stderr()).contains("placements[0].gpus[0]: null must be a whole number");
    }

    @Test
    void generateAndBenchmarkRun(@TempDir Path dir) throws Exception {
        assertThat(run("generate", "--nodes", "12", "--tasks", "40", "--seed", "5", "--out-dir", dir.toString()))
                .isZero();
        Problem problem = new ProblemReader().read(dir.resolve("cluster.json"), dir.resolve("jobs.json"),
                dir.resolve("signals.json"));
        assertThat(problem.nodes()).hasSize(12);
        assertThat(problem.jobs().stream().mapToInt(j -> j.tasks()).sum()).isGreaterThanOrEqualTo(40);

        assertThat(run("benchmark", "--sizes", "12x40", "--seconds", "1", "--runs", "1")).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| nodes | tasks |");
        String row = table.lines().filter(l -> l.startsWith("| 12 | 40 |")).findFirst().orElseThrow();
        assertThat(row).endsWith("| 0 |"); // no broken rules
    }

    @Test
    void loadBenchmarkReportsEachEndpointAndItsReferenceWithoutErrors() {
        assertThat(run("load-benchmark", "--nodes", "20", "--callers", "2", "--seconds", "1", "--warmup", "0",
                "--endpoints", "recommendations,filter,cycle,cluster-put,filter-long-annotation")).as(stderr()).isZero();
        List<String> rows = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("\\| [a-z+-]+ \\| 20 \\|.*"))
                .toList();
        assertThat(rows).extracting(r -> r.split("\\|")[1].trim())
                .containsExactly("recommendations", "filter", "filter+prioritize", "cluster-put",
                        "filter-long-annotation");
        for (String row : rows) {
            String[] f = row.split("\\|");
            assertThat(Long.parseLong(f[5].trim())).as("requests: " + row).isPositive();
            assertThat(f[11].trim()).as("answered with a place: " + row).isNotEqualTo("0%");
            assertThat(Long.parseLong(f[12].trim())).as("errors: " + row).isZero();
            assertThat(Double.parseDouble(f[13].trim())).as("reference per second: " + row).isPositive();
            assertThat(Double.parseDouble(f[15].trim())).as("ratio: " + row).isPositive();
        }
        assertThat(run("load-benchmark", "--endpoints", "bind")).isEqualTo(2);
        assertThat(stderr()).contains("--endpoints: \"bind\" is not recommendations, filter, prioritize, cycle, "
                + "filter-long-annotation or cluster-put");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
