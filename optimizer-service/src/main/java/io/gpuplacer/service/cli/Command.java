package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * One subcommand: its options are picocli fields, its help is generated from them; it writes results to
 * {@code out} and progress to {@code err}. Bad input and usage end with exit code 2 (see {@link Main}).
 */
@CommandLine.Command(mixinStandardHelpOptions = false, sortOptions = false, usageHelpAutoWidth = true,
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "1:anything else went wrong",
        "2:bad input or usage (one line naming the field and value; nothing written)"})
abstract class Command implements Callable<Integer> {

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    protected PrintStream out;
    protected PrintStream err;

    /** Where results and progress go; {@link Main} sets them before the command runs. */
    final void streams(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    abstract int execute() throws UsageException, InputException, IOException;

    @Override
    public final Integer call() throws UsageException, InputException, IOException {
        return execute();
    }

    /** An option value outside its range: a usage error naming the option and value. */
    final long bounded(String option, long value, long min, long max) throws UsageException {
        if (value < min || value > max) {
            throw new UsageException(spec.name() + ": " + option + " " + value + " must be between " + min + " and "
                    + max);
        }
        return value;
    }
}
