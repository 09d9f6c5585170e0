package io.gpuplacer.service.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real {@code serve} command in a JVM of its own, on a test database: to be stopped as processes are. */
final class ChildService {

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private final Path dataDir;

    private ChildService(Process process, Path log, String base, Path dataDir) {
        this.process = process;
        this.log = log;
        this.base = base;
        this.dataDir = dataDir;
    }

    /**
     * The data folder of every service on a test database: the first to start on it writes the admin token there,
     * and later ones (restarts, replicas) find it.
     */
    static Path dataDir(TestDatabase.Credentials db) {
        return Path.of(System.getProperty("java.io.tmpdir"), "gpuplacer-test-" + db.database());
    }

    /** The first admin token, as the service wrote it. */
    String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("admin.token")).strip();
    }

    String base() {
        return base;
    }

    /** What the process has logged so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    static ChildService start(TestDatabase.Credentials db, Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(databaseEnv(db));
        all.put("GPUPLACER_DATA_DIR", dataDir(db).toString());
        all.putAll(env);
        return launch(all, null, dataDir(db));
    }

    /** {@code serve} as the README runs it: in a folder of its own, with the embedded default database there. */
    static ChildService startEmbedded(Path folder) throws Exception {
        return launch(Map.of(), folder, folder.resolve("data"));
    }

    private static ChildService launch(Map<String, String> env, Path folder, Path dataDir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("gpuplacer-serve", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.gpuplacer.service.cli.Main", "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (folder != null) {
            builder.directory(folder.toFile());
        }
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        builder.environment().putAll(env);
        ChildService child = new ChildService(builder.start(), log, "http://127.0.0.1:" + port, dataDir);
        child.awaitListening();
        return child;
    }

    private static Map<String, String> databaseEnv(TestDatabase.Credentials db) {
        return Map.of("DATASOURCES_DEFAULT_URL", db.url(), "DATASOURCES_DEFAULT_USERNAME", db.user(),
                "DATASOURCES_DEFAULT_PASSWORD", db.password());
    }

    private void awaitListening() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
                assertThat(System.currentTimeMillis()).as("the service did not start").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** Sends a JSON body; returns the answer's body after checking its status. */
    String send(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken())
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return r.body();
    }

    /** PUTs the generated cluster and signals, then starts a run of their queue; returns its id. */
    String startRun(io.gpuplacer.service.bench.ProblemGenerator.Documents docs, int seconds) throws Exception {
        send("PUT", "/v1/cluster", docs.cluster().toString(), 200);
        send("PUT", "/v1/signals", docs.signals().toString(), 200);
        return TestService.JSON.readTree(send("POST", "/v1/optimizations", "{\"jobs\": " + docs.jobs()
                + ", \"seconds\": " + seconds + "}", 202)).get("id").asText();
    }

    /** What a command-line run printed, and its exit code. */
    record CliRun(int exit, String out, String err) {
    }

    /** Runs a command of the jar in a JVM of its own, configured for the test database as serve is. */
    static CliRun cli(TestDatabase.Credentials db, String... args) throws Exception {
        return runCli(databaseEnv(db), null, args);
    }

    /** The same with more environment variables. */
    static CliRun cli(TestDatabase.Credentials db, Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(databaseEnv(db));
        all.putAll(env);
        return runCli(all, null, args);
    }

    /** Runs a command of the jar in a folder, on the embedded default database there (no configuration). */
    static CliRun cliIn(Path folder, String... args) throws Exception {
        return runCli(Map.of(), folder, args);
    }

    private static CliRun runCli(Map<String, String> env, Path folder, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.gpuplacer.service.cli.Main"));
        command.addAll(java.util.List.of(args));
        Path out = Files.createTempFile("gpuplacer-cli", ".out");
        Path err = Files.createTempFile("gpuplacer-cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (folder != null) {
            builder.directory(folder.toFile());
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new CliRun(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** SIGSTOP (pause) or SIGCONT (resume): a stall as a long GC pause or a stopped VM gives one. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + name).isZero();
    }

    /** SIGTERM, without waiting. */
    void signalTerm() {
        process.destroy();
    }

    /** Waits for the process to end on its own; returns its exit code. */
    int awaitExit() throws Exception {
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        return process.exitValue();
    }

    /** SIGTERM, and waits for the process to end. */
    void terminate() throws Exception {
        process.destroy();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    }

    /** SIGKILL, and waits for the process to end. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    }
}
