package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The command line: {@code solve}, {@code validate}, {@code generate}, {@code benchmark} and
 * {@code carbon-benchmark}, {@code simulate} and {@code serve}. Exit codes: 0 done,
 * 2 bad input or usage (one line naming the field and value), 1 anything else.
 */
public final class Main {

    static final String USAGE = """
            Usage: java -jar optimizer-service.jar <command> [options]

            Commands:
              solve       place a job queue on a cluster and write the plan
                          --cluster C --jobs J [--signals S] [--weights W] [--seconds N] [--out plan.json]
                          --list-weights: every knob of the objective
              validate    check a plan against the hard rules of interchange v1
                          --cluster C --jobs J --plan P [--signals S]
              generate    write a seeded synthetic problem (cluster.json, jobs.json, signals.json)
                          --nodes N --tasks T [--seed S] --out-dir DIR
              benchmark   greedy vs. solver on generated problems; medians over runs
                          [--sizes 100x1000,1000x10000] [--seconds N] [--runs R] [--seed S]
              carbon-benchmark
                          CO2e and cost against carbon-agnostic first fit and a lower bound, on real
                          grid series of four seasons [--nodes N] [--tasks T] [--seconds N] [--seeds K]
              load-benchmark
                          concurrent recommendation requests against the service: p50/p99, throughput
                          [--nodes 100,1000] [--callers 4] [--seconds 20] [--url URL]
              serve       the HTTP service: placement oracle, optimization runs, weights (port 8080)
              simulate    replay an Alibaba openb trace online (FGD's protocol) under our oracle, FGD,
                          BestFit and Random [--node-list N] [--pod-list P] [--seed S] [--policy ...]

            Run '<command> --help' for the details of one command.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "solve" -> new SolveCommand(out, err).run(rest);
                case "validate" -> new ValidateCommand(out, err).run(rest);
                case "generate" -> new GenerateCommand(out, err).run(rest);
                case "benchmark" -> new BenchmarkCommand(out, err).run(rest);
                case "carbon-benchmark" -> new CarbonBenchmarkCommand(out, err).run(rest);
                case "simulate" -> new SimulateCommand(out, err).run(rest);
                case "serve" -> new ServeCommand(out, err).run(rest);
                case "load-benchmark" -> new LoadBenchmarkCommand(out, err).run(rest);
                default -> throw new UsageException("unknown command \"" + args[0]
                        + "\"; commands: solve, validate, generate, benchmark, "
                        + "carbon-benchmark, simulate, serve, load-benchmark");
            };
        } catch (InputException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException | java.io.IOException e) {
            err.println("failed: " + e);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                err.println("  caused by: " + cause);
            }
            if (System.getenv("GPUPLACER_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }
}
