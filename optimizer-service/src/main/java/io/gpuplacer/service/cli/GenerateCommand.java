package io.gpuplacer.service.cli;

import picocli.CommandLine;

import io.gpuplacer.model.interchange.AtomicFiles;
import io.gpuplacer.service.bench.ProblemGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code generate}: write a seeded synthetic problem as the three interchange documents. */
@CommandLine.Command(name = "generate", header = "Write a seeded synthetic problem (cluster, jobs, signals).",
        description = "Writes DIR/cluster.json, DIR/jobs.json and DIR/signals.json: "
        + "N nodes (H100, A100 with some MIG, L4, T4 over three zones, a spot pool, a few unhealthy and cordoned), "
        + "running tasks, and at least T pending tasks (gangs, whole, shared, MIG, CPU-only; some with deadlines). "
        + "Same seed, same documents.")
final class GenerateCommand extends Command {

    @CommandLine.Option(names = "--nodes", paramLabel = "N", required = true, description = "Nodes, 1..100000.")
    int nodes;

    @CommandLine.Option(names = "--tasks", paramLabel = "T", required = true, description = "Pending tasks, "
            + "0..1000000.")
    int tasks;

    @CommandLine.Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Default "
            + "${DEFAULT-VALUE}.")
    long seed;

    @CommandLine.Option(names = "--out-dir", paramLabel = "DIR", required = true, description = "Folder to write "
            + "to (created if missing).")
    Path dir;

    @Override
    int execute() throws UsageException, IOException {
        bounded("--nodes", nodes, 1, 100_000);
        bounded("--tasks", tasks, 0, 1_000_000);
        ProblemGenerator.Documents docs = ProblemGenerator.generate(nodes, tasks, seed);
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("cluster.json"), ProblemGenerator.pretty(docs.cluster()));
        AtomicFiles.writeString(dir.resolve("jobs.json"), ProblemGenerator.pretty(docs.jobs()));
        AtomicFiles.writeString(dir.resolve("signals.json"), ProblemGenerator.pretty(docs.signals()));
        err.println("generate: wrote cluster.json, jobs.json, signals.json to " + dir);
        return 0;
    }
}
