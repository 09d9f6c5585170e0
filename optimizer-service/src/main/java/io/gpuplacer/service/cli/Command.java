package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** One subcommand: its help text, and what it does with its arguments. Output to {@code out}, progress to {@code err}. */
abstract class Command {

    protected final PrintStream out;
    protected final PrintStream err;
    private final String help;

    Command(PrintStream out, PrintStream err, String help) {
        this.out = out;
        this.err = err;
        this.help = help;
    }

    abstract int execute(List<String> args) throws UsageException, InputException, IOException;

    /** {@code --help} anywhere prints the help; anything else runs the command. */
    final int run(List<String> args) throws UsageException, InputException, IOException {
        if (args.contains("--help")) {
            out.print(help);
            return 0;
        }
        return execute(args);
    }
}
