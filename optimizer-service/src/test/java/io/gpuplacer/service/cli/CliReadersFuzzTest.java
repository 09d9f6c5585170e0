package io.gpuplacer.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.service.fuzz.JsonMutator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Mutational fuzzing of the command line's readers: the cluster, jobs, signals and plan documents of
 * {@code validate} and the weights of {@code solve}, each mutated one to three times from a valid document (a
 * seeded random walk, so a failure names the seed that repeats it). Every run must end within 20 s with exit 0, 1
 * (a plan that breaks a rule) or 2 (bad input, one line naming a field), and never with an exception escaping
 * ("failed:" and a trace). {@code -Dfuzz.cli.runs=N} sets the number of documents (default 10,000, about 30 s),
 * {@code -Dfuzz.seed=S} the seed.
 */
class CliReadersFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DOCUMENTS = List.of("cluster", "jobs", "signals", "plan", "weights");
    private final Map<String, Integer> exits = new java.util.TreeMap<>();
    private static Path dir;
    private static Map<String, JsonNode> seeds;

    @BeforeAll
    static void seeds() throws Exception {
        dir = Files.createTempDirectory("cli-fuzz");
        Path examples = Path.of("..", "examples");
        Path plan = dir.resolve("seed-plan.json");
        Result solved = run("solve", "--cluster", examples.resolve("cluster.json").toString(), "--jobs",
                examples.resolve("jobs.json").toString(), "--signals", examples.resolve("signals.json").toString(),
                "--seconds", "0", "--out", plan.toString());
        assertThat(solved.exit()).as(solved.err()).isZero();
        seeds = Map.of("cluster", read(examples.resolve("cluster.json")), "jobs", read(examples.resolve("jobs.json")),
                "signals", read(examples.resolve("signals.json")), "plan", read(plan),
                "weights", JSON.readTree("{\"carbonPriceUsdPerTonne\": 200, \"moveCostWeight\": 2}"));
    }

    @Test
    void everyMutatedDocumentEndsWithACleanExit() throws Exception {
        int runs = Integer.getInteger("fuzz.cli.runs", 10_000);
        Random seeds = new Random(Long.getLong("fuzz.seed", 20261201L));
        for (int i = 0; i < runs; i++) {
            long seed = seeds.nextLong();
            fuzzOnce(DOCUMENTS.get(Math.floorMod(seed, DOCUMENTS.size())), seed);
        }
        System.out.println("cli fuzz: " + runs + " documents, exit codes by document " + exits);
        assertThat(exits.keySet()).as("every reader was reached, accepting and refusing").contains("cluster:0",
                "cluster:2", "jobs:0", "jobs:2", "signals:0", "signals:2", "plan:0", "plan:2", "weights:0", "weights:2");
    }

    private void fuzzOnce(String name, long seed) throws Exception {
        Random random = new Random(seed);
        int mutations = 1 + random.nextInt(3);
        JsonNode doc = seeds.get(name).deepCopy();
        for (int i = 0; i < mutations; i++) {
            doc = JsonMutator.mutate(doc, random);
        }
        String text = random.nextInt(30) == 0 ? JsonMutator.truncate(doc.toString(), random) : doc.toString();
        Path file = Files.writeString(dir.resolve(name + "-" + Long.toHexString(seed) + ".json"), text);
        Result result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(command(name, file)));
        Files.delete(file);
        exits.merge(name + ":" + result.exit(), 1, Integer::sum);
        String what = name + " (seed " + seed + ") " + (text.length() > 300 ? text.substring(0, 300) + "..." : text) + "\n" + result.err();
        assertThat(result.exit()).as(what).isIn(0, 1, 2);
        assertThat(result.err()).as(what).doesNotContain("failed:").doesNotContain("\tat ");
        if (result.exit() == 2) {
            String line = result.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
            assertThat(line).as(what).matches("error: \\S.*: .+");
        }
        if (result.exit() == 1) {
            assertThat(name).as("only validate's rule breaks exit 1: " + what).isNotEqualTo("weights");
        }
    }

    private static String[] command(String document, Path file) {
        Path examples = Path.of("..", "examples");
        Map<String, String> inputs = new java.util.LinkedHashMap<>(Map.of(
                "cluster", examples.resolve("cluster.json").toString(), "jobs", examples.resolve("jobs.json")
                        .toString(), "signals", examples.resolve("signals.json").toString(), "plan",
                dir.resolve("seed-plan.json").toString()));
        if (document.equals("weights")) {
            return new String[]{"solve", "--cluster", inputs.get("cluster"), "--jobs", inputs.get("jobs"), "--signals",
                    inputs.get("signals"), "--seconds", "0", "--weights", file.toString(), "--out",
                    dir.resolve("out-" + file.getFileName()).toString()};
        }
        inputs.put(document, file.toString());
        List<String> args = new ArrayList<>(List.of("validate"));
        inputs.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return args.toArray(String[]::new);
    }

    private record Result(int exit, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode read(Path file) throws Exception {
        return JSON.readTree(file.toFile());
    }
}
