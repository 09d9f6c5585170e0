package io.gpuplacer.service.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import picocli.CommandLine;

/**
 * {@code serve}: the HTTP service. Configuration comes from application.yml, overridden by environment variables
 * (e.g. {@code MICRONAUT_SERVER_PORT}, {@code DATASOURCES_DEFAULT_URL}) and system properties.
 */
@CommandLine.Command(name = "serve", header = "The HTTP service: placement oracle, optimization runs, weights (port 8080).",
        description = {"Starts the HTTP service on port 8080 (MICRONAUT_SERVER_PORT "
        + "overrides). Without DATASOURCES_DEFAULT_URL it keeps its data in an embedded database under ./data, and "
        + "serves the bundled example cluster until a cluster is PUT. Stop it with Ctrl-C (or SIGTERM).",
        "Endpoints: see docs/service.md, or GET /openapi.yml. It takes no options: configure it with environment "
                + "variables such as MICRONAUT_SERVER_PORT and DATASOURCES_DEFAULT_URL."})
final class ServeCommand extends Command {

    @Override
    int execute() {
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
