package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.AtomicFiles;
import io.gpuplacer.service.bench.ProblemGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code generate}: write a seeded synthetic problem as the three interchange documents. */
final class GenerateCommand extends Command {

    static final String HELP = """
            Usage: generate --nodes N --tasks T [--seed S] --out-dir DIR

            Writes DIR/cluster.json, DIR/jobs.json and DIR/signals.json: N nodes (H100, A100 with some MIG, L4, T4
            over three zones, a spot pool, a few unhealthy and cordoned), running tasks, and at least T pending
            tasks (gangs, whole, shared, MIG, CPU-only; some with deadlines). Same seed, same documents.
            """;

    GenerateCommand(PrintStream out, PrintStream err) {
        super(out, err, HELP);
    }

    @Override
    int execute(List<String> argList) throws UsageException, IOException {
        Args args = new Args("generate", argList, Set.of("--nodes", "--tasks", "--seed", "--out-dir"), Set.of());
        int nodes = (int) args.longValue("--nodes", -1, 1, 100_000);
        int tasks = (int) args.longValue("--tasks", -1, 0, 1_000_000);
        if (nodes < 0 || tasks < 0) {
            throw new UsageException("generate: --nodes and --tasks are required");
        }
        long seed = args.longValue("--seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        Path dir = args.requiredPath("--out-dir");
        ProblemGenerator.Documents docs = ProblemGenerator.generate(nodes, tasks, seed);
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("cluster.json"), ProblemGenerator.pretty(docs.cluster()));
        AtomicFiles.writeString(dir.resolve("jobs.json"), ProblemGenerator.pretty(docs.jobs()));
        AtomicFiles.writeString(dir.resolve("signals.json"), ProblemGenerator.pretty(docs.signals()));
        err.println("generate: wrote cluster.json, jobs.json, signals.json to " + dir);
        return 0;
    }
}
