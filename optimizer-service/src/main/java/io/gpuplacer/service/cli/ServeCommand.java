package io.gpuplacer.service.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code serve}: the HTTP service. Configuration comes from application.yml, overridden by environment variables
 * (e.g. {@code MICRONAUT_SERVER_PORT}, {@code DATASOURCES_DEFAULT_URL}) and system properties.
 */
final class ServeCommand extends Command {

    ServeCommand(PrintStream out, PrintStream err) {
        super(out, err, """
                Usage: serve
                  Starts the HTTP service on port 8080 (MICRONAUT_SERVER_PORT overrides). Without
                  DATASOURCES_DEFAULT_URL it keeps its data in an embedded database under ./data, and serves
                  the bundled example cluster until a cluster is PUT. Stop it with Ctrl-C (or SIGTERM).
                  Endpoints: see docs/service.md, or GET /openapi.yml.
                """);
    }

    @Override
    int execute(List<String> args) throws UsageException {
        if (!args.isEmpty()) {
            throw new UsageException("serve: takes no options (got " + args + "); configure it with environment "
                    + "variables such as MICRONAUT_SERVER_PORT and DATASOURCES_DEFAULT_URL");
        }
        ApplicationContext context = Micronaut.build(new String[0]).banner(false).start();
        while (context.isRunning()) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return 0;
    }
}
