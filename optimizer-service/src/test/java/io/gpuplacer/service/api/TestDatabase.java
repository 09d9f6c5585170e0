package io.gpuplacer.service.api;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real MySQL-family server for the persistence tests, never skipped: {@code TEST_JDBC_URL} when set (CI: the
 * local MariaDB), else a Testcontainers MySQL where Docker runs, else a private MariaDB started from the machine's
 * own {@code mariadbd} on a temporary folder. When none of these exists the tests fail and say so. Each caller
 * gets a database of its own on that server ({@link #fresh}), dropped by {@link #drop}.
 */
public final class TestDatabase {

    /** Where a fresh database is: JDBC URL (no credentials in it), user and password. */
    public record Credentials(String url, String user, String password, String database) {

        /** Micronaut properties pointing the default datasource here. */
        public Map<String, Object> properties() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("datasources.default.url", url);
            p.put("datasources.default.username", user);
            p.put("datasources.default.password", password);
            return p;
        }
    }

    private record Server(String baseUrl, String user, String password, String kind) {
    }

    private static Server server;

    private TestDatabase() {
    }

    /** A new, empty database on the test server. */
    public static synchronized Credentials fresh() {
        Server s = server();
        String name = "gp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(s.baseUrl(), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + s.kind() + " (" + s.baseUrl()
                    + "): " + e.getMessage(), e);
        }
        return new Credentials(withDatabase(s.baseUrl(), name), s.user(), s.password(), name);
    }

    public static synchronized void drop(Credentials db) {
        Server s = server();
        try (Connection c = DriverManager.getConnection(s.baseUrl(), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db.database());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + db.database(), e);
        }
    }

    /** Which server the tests use, for their output. */
    public static synchronized String describe() {
        return server().kind() + " at " + server().baseUrl();
    }

    private static Server server() {
        if (server == null) {
            server = start();
            System.err.println("persistence tests use " + server.kind() + " at " + server.baseUrl());
        }
        return server;
    }

    private static Server start() {
        String url = System.getenv("TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return fromUrl(url);
        }
        if (dockerAvailable()) {
            MySQLContainer<?> mysql = new MySQLContainer<>("mysql:8.4");
            mysql.start();
            return new Server(withDatabase(mysql.getJdbcUrl(), ""), "root", mysql.getPassword(), "Testcontainers MySQL");
        }
        return startLocalMariaDb();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** TEST_JDBC_URL may carry user and password as parameters; they become separate credentials. */
    private static Server fromUrl(String url) {
        String base = url;
        String user = "root";
        String password = "";
        int q = url.indexOf('?');
        StringBuilder rest = new StringBuilder();
        if (q >= 0) {
            base = url.substring(0, q);
            for (String param : url.substring(q + 1).split("&")) {
                String[] kv = param.split("=", 2);
                String value = kv.length > 1 ? kv[1] : "";
                if (kv[0].equals("user")) {
                    user = value;
                } else if (kv[0].equals("password")) {
                    password = value;
                } else if (!param.isEmpty()) {
                    rest.append(rest.isEmpty() ? "?" : "&").append(param);
                }
            }
        }
        // Drop the database part: fresh() makes one per caller.
        int slash = base.indexOf('/', "jdbc:mysql://".length());
        String server = slash < 0 ? base + "/" : base.substring(0, slash + 1);
        return new Server(server + rest, user, password, "TEST_JDBC_URL server");
    }

    private static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', "jdbc:mysql://".length());
        String server = slash < 0 ? base + "/" : base.substring(0, slash + 1);
        return server + database + params;
    }

    /** MariaDB from the machine's own binaries on a temporary data folder and a free port (no Docker, no URL). */
    private static Server startLocalMariaDb() {
        Path daemon = Path.of("/usr/sbin/mariadbd");
        Path install = Path.of("/usr/bin/mariadb-install-db");
        if (!Files.isExecutable(daemon) || !Files.isExecutable(install)) {
            throw new IllegalStateException("persistence tests need a MySQL-family server: set TEST_JDBC_URL "
                    + "(e.g. jdbc:mysql://127.0.0.1:3306/test?user=root&password=), or run Docker, or install "
                    + "mariadb-server (apt-get install mariadb-server) so the tests can start a private one");
        }
        try {
            Path dir = Files.createTempDirectory("gpuplacer-mariadb");
            Path data = dir.resolve("data");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            run(new ProcessBuilder(install.toString(), "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal",
                    "--user=" + System.getProperty("user.name"), "--skip-test-db"), dir.resolve("install.log"));
            Process mariadb = new ProcessBuilder(daemon.toString(), "--no-defaults", "--datadir=" + data,
                    "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"),
                    "--user=" + System.getProperty("user.name"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mariadbd.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(mariadb::destroy));
            String url = "jdbc:mysql://127.0.0.1:" + port + "/";
            for (int i = 0; i < 60; i++) {
                try (Connection ignored = DriverManager.getConnection(url, "root", "")) {
                    return new Server(url, "root", "", "private MariaDB (" + daemon + ")");
                } catch (SQLException notYet) {
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            }
            throw new IllegalStateException("the private MariaDB did not start; see " + dir.resolve("mariadbd.log"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a private MariaDB: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a private MariaDB", e);
        }
    }

    private static void run(ProcessBuilder builder, Path log) throws IOException, InterruptedException {
        Process p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed; see " + log);
        }
    }
}
