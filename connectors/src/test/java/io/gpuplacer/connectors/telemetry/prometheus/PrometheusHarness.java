package io.gpuplacer.connectors.telemetry.prometheus;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus} and {@code promtool}, which {@code .ci/run} installs) on a free
 * port, its storage backfilled from OpenMetrics text with {@code promtool tsdb create-blocks-from openmetrics}.
 * Missing binaries fail the test with what to install: telemetry tests are never skipped.
 */
public final class PrometheusHarness implements AutoCloseable {

    private final Process process;
    private final URI base;
    private final Path log;

    private PrometheusHarness(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    public static PrometheusHarness start(String openMetrics, Path dir) throws Exception {
        Path promtool = binary("promtool");
        Path prometheus = binary("prometheus");
        Path data = Files.writeString(dir.resolve("dcgm.om"), openMetrics);
        Path tsdb = Files.createDirectories(dir.resolve("tsdb"));
        run(dir, List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", data.toString(),
                tsdb.toString()));
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1h\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb, "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        PrometheusHarness harness = new PrometheusHarness(process, URI.create("http://127.0.0.1:" + port), log);
        harness.awaitReady();
        return harness;
    }

    public URI base() {
        return base;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("prometheus did not start: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static Path binary(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(name + " is not installed: apt-get install prometheus (Debian's package "
                + "brings prometheus and promtool; .ci/run installs it)");
    }

    private static void run(Path dir, List<String> command) throws Exception {
        Path out = dir.resolve("promtool.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(out));
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
