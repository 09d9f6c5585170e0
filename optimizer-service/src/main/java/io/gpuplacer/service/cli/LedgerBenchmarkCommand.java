package io.gpuplacer.service.cli;

import io.gpuplacer.service.bench.LedgerBenchmark;
import io.gpuplacer.service.config.Modes;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine;

import java.util.Locale;
import java.util.Map;

/** {@code ledger-benchmark}: the emission report on a month of hourly snapshots, timed. */
@CommandLine.Command(name = "ledger-benchmark", header = "Time emission reports on a month of hourly snapshots.",
        description = "Writes the ledger of a generated cluster hour by hour into a scratch database (an in-memory "
                + "H2 unless --jdbc-url names another, e.g. an empty MariaDB database), then runs each report "
                + "--runs times and prints medians.")
final class LedgerBenchmarkCommand extends Command {

    @CommandLine.Option(names = "--nodes", defaultValue = "100", description = "1..10000 (default ${DEFAULT-VALUE}).")
    int nodes;

    @CommandLine.Option(names = "--hours", defaultValue = "720", description = "1..8784 (default ${DEFAULT-VALUE}: "
            + "30 days).")
    int hours;

    @CommandLine.Option(names = "--runs", defaultValue = "5", description = "1..100 (default ${DEFAULT-VALUE}).")
    int runs;

    @CommandLine.Option(names = "--jdbc-url", paramLabel = "URL", description = "A scratch database (its ledger "
            + "gets the benchmark's rows), e.g. jdbc:mysql://127.0.0.1:3306/bench?user=root&password=")
    String jdbcUrl;

    @CommandLine.Option(names = "--reuse", description = "Report on the ledger a previous run left in --jdbc-url "
            + "instead of writing it again (the same --nodes and --hours).")
    boolean reuse;

    /** A parameter of the URL's query (the pool's user and password override the URL's, so they are given as such). */
    private static String queryParameter(String url, String name) {
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.startsWith(name + "=")) {
                    return java.net.URLDecoder.decode(pair.substring(name.length() + 1),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return "";
    }

    @Override
    int execute() throws UsageException {
        bounded("--nodes", nodes, 1, 10_000);
        bounded("--hours", hours, 1, 8_784);
        bounded("--runs", runs, 1, 100);
        String url = jdbcUrl != null ? jdbcUrl : "jdbc:h2:mem:ledger-bench;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                + "CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1";
        try (ApplicationContext context = ApplicationContext.builder().environments(Modes.TOOL).banner(false)
                .properties(Map.of("datasources.default.url", url, "datasources.default.username",
                        jdbcUrl != null ? queryParameter(jdbcUrl, "user") : "sa", "datasources.default.password",
                        jdbcUrl != null ? queryParameter(jdbcUrl, "password") : "")).start()) {
            if (reuse && jdbcUrl == null) {
                throw new UsageException("--reuse needs --jdbc-url: an in-memory database holds nothing to reuse");
            }
            LedgerBenchmark.Result r = LedgerBenchmark.run(context, nodes, hours, runs, err, reuse);
            out.printf(Locale.ROOT, "ledger-benchmark: %d nodes, %d hourly snapshots, %d rows written in %.1f s "
                    + "(%s)%n", r.nodes(), r.hours(), r.rows(), r.writeSeconds(), jdbcUrl != null ? "given database"
                    : "in-memory H2");
            r.lines().forEach(out::println);
        }
        return 0;
    }
}
