package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The command line, on picocli: {@code solve}, {@code validate}, {@code generate}, {@code benchmark},
 * {@code carbon-benchmark}, {@code load-benchmark}, {@code simulate}, {@code serve} and {@code token}; {@code --help} on any of
 * them is generated from its options, so it cannot drift from the code. Exit codes: 0 done, 2 bad input or usage
 * (one line naming the field and value), 1 anything else.
 */
@CommandLine.Command(name = "java -jar optimizer-service.jar", mixinStandardHelpOptions = true,
        version = "gpu-placer 0.1.0", synopsisSubcommandLabel = "<command>",
        description = "Carbon- and cost-aware placement for GPU clusters. Run '<command> --help' for one command.",
        subcommands = {SolveCommand.class, ValidateCommand.class, GenerateCommand.class, BenchmarkCommand.class,
                CarbonBenchmarkCommand.class, LoadBenchmarkCommand.class, SimulateCommand.class, ServeCommand.class,
                TokenCommand.class, ReportCommand.class, LedgerBenchmarkCommand.class, FairnessBenchmarkCommand.class,
                KueueBenchmarkCommand.class, CapacityPlanCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "1:anything else went wrong",
        "2:bad input or usage (one line naming the field and value; nothing written)"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Without a command: the usage, as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Runs one command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof Command command) {
                    command.streams(out, err);
                }
                return made;
            }
        });
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setParameterExceptionHandler((e, commandArgs) -> {
            err.println("error: " + e.getMessage());
            CommandLine failed = e.getCommandLine();
            if (failed.getCommandSpec().userObject() instanceof Main) {
                failed.usage(err);
            } else {
                err.println("try '" + failed.getCommandName() + " --help'");
            }
            return 2;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof InputException || e instanceof UsageException) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            err.println("failed: " + e);
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                err.println("  caused by: " + cause);
            }
            if (System.getenv("GPUPLACER_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        });
        return cli.execute(args);
    }
}
