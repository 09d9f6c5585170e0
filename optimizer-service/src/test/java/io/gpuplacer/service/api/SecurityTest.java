package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.gpuplacer.service.persistence.ApiTokenRepository;
import io.gpuplacer.service.security.ApiTokens;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may do what: 401 without valid credentials, 403 for the wrong role, the principal as author. */
class SecurityTest {

    private static TestDatabase.Credentials db;
    private static TestService service;

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        service = new TestService(db);
    }

    @AfterAll
    static void stop() {
        service.close();
        TestDatabase.drop(db);
    }

    /** One call of the roles table in docs/service.md, and the roles it admits. */
    private record Call(String method, String path, String body, Set<String> roles) {
    }

    private static final Set<String> EVERYONE = Set.copyOf(Roles.ALL);
    private static final Set<String> READERS = Set.of(Roles.OPERATOR, Roles.REPORTER, Roles.ADMIN);
    private static final Set<String> WRITERS = Set.of(Roles.OPERATOR, Roles.ADMIN);

    private static List<Call> table() {
        String cluster = service.get("/v1/cluster").text();
        String signals = service.get("/v1/signals").text();
        String job = "{\"job\": " + Recommendations.job("role-test", 1, "{\"kind\":\"WHOLE\",\"count\":1}", "ANY")
                + "}";
        return List.of(
                new Call("GET", "/v1/cluster", null, READERS),
                new Call("PUT", "/v1/cluster", cluster, WRITERS),
                new Call("GET", "/v1/signals", null, READERS),
                new Call("PUT", "/v1/signals", signals, WRITERS),
                new Call("GET", "/v1/signals/status", null, READERS),
                new Call("GET", "/v1/telemetry", null, READERS),
                new Call("GET", "/v1/queues", null, READERS),
                new Call("GET", "/v1/queues/nlp/waiting", null, READERS),
                new Call("GET", "/v1/reports/emissions?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", null,
                        READERS),
                new Call("GET", "/v1/reports/emissions/chart.svg?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
                        null, READERS),
                new Call("GET", "/v1/reports/queues?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", null,
                        READERS),
                new Call("GET", "/v1/capacity/plan", null, READERS),
                new Call("GET", "/v1/capacity/chart.svg", null, READERS),
                new Call("GET", "/v1/weights", null, READERS),
                new Call("GET", "/v1/weights/history", null, READERS),
                new Call("PUT", "/v1/weights", "{\"weights\": {}, \"reason\": \"role test\"}", WRITERS),
                new Call("POST", "/v1/weights/preview", "{\"weights\": {}, \"seconds\": 1}", WRITERS),
                new Call("GET", "/v1/me", null, EVERYONE),
                new Call("POST", "/v1/recommendations", job, Set.of(Roles.SCHEDULER, Roles.OPERATOR, Roles.ADMIN)),
                new Call("POST", "/v1/k8s/extender/filter", "{}", Set.of(Roles.SCHEDULER, Roles.ADMIN)),
                new Call("POST", "/v1/k8s/extender/prioritize", "{}", Set.of(Roles.SCHEDULER, Roles.ADMIN)),
                new Call("POST", "/v1/k8s/extender/bind", "{}", Set.of(Roles.SCHEDULER, Roles.ADMIN)),
                new Call("POST", "/v1/k8s/webhook/gate", "{}", Set.of(Roles.SCHEDULER, Roles.ADMIN)),
                new Call("GET", "/v1/actions", null, READERS),
                new Call("GET", "/v1/optimizations", null, READERS),
                new Call("POST", "/v1/optimizations", "{}", WRITERS),
                new Call("GET", "/v1/optimizations/no-such-run", null, READERS),
                new Call("DELETE", "/v1/optimizations/no-such-run", null, WRITERS),
                new Call("POST", "/v1/optimizations/no-such-run/apply", null, WRITERS),
                new Call("GET", "/v1/audit", null, READERS),
                new Call("GET", "/v1/state/versions?kind=cluster", null, READERS),
                new Call("GET", "/v1/state/versions/999999", null, READERS),
                new Call("POST", "/v1/state/versions/999999/restore", null, WRITERS),
                new Call("GET", "/v1/tokens", null, Set.of(Roles.ADMIN)),
                new Call("POST", "/v1/tokens", "{}", Set.of(Roles.ADMIN)),
                new Call("DELETE", "/v1/tokens/no-such-token", null, Set.of(Roles.ADMIN)),
                new Call("GET", "/prometheus", null, EVERYONE),
                new Call("GET", "/openapi.yml", null, EVERYONE));
    }

    @Test
    void everyEndpointAnswersEachRoleAsTheRolesTableSays() {
        for (String role : Roles.ALL) {
            String token = service.tokenFor("role-" + role, role);
            for (Call call : table()) {
                TestService.Reply reply = service.call(call.method(), call.path(), call.body(), token);
                if (call.roles().contains(role)) {
                    assertThat(reply.status()).as(role + " " + call + ": " + reply.text()).isNotIn(401, 403);
                } else {
                    assertThat(reply.status()).as(role + " " + call + ": " + reply.text()).isEqualTo(403);
                    assertThat(reply.json().get("error").asText()).contains("role-" + role, role,
                            call.path().replaceAll("\\?.*", ""));
                }
            }
        }
    }

    @Test
    void withoutATokenOrWithABadOneEveryEndpointIs401InTheErrorShape() throws Exception {
        for (Call call : table()) {
            TestService.Reply none = service.call(call.method(), call.path(), call.body(), null);
            assertThat(none.status()).as(call.toString()).isEqualTo(401);
            assertThat(none.json().get("error").asText()).contains("Authorization: Bearer");
            assertThat(none.json().has("field")).isTrue();
            TestService.Reply bad = service.call(call.method(), call.path(), call.body(), ApiTokens.PREFIX + "x".repeat(43));
            assertThat(bad.status()).as(call.toString()).isEqualTo(401);
            assertThat(bad.json().get("field").asText()).isEqualTo("Authorization");
            assertThat(service.call(call.method(), call.path(), call.body(), "not-a-jwt").status()).isEqualTo(401);
        }
        // Without a JWKS configured no JWT is believed: neither an unsigned one nor one signed by any key.
        String unsigned = new com.nimbusds.jwt.PlainJWT(new JWTClaimsSet.Builder().subject("eve").claim("roles",
                List.of("admin")).expirationTime(new Date(System.currentTimeMillis() + 600_000)).build()).serialize();
        assertThat(service.call("GET", "/v1/tokens", null, unsigned).status()).isEqualTo(401);
        String signed = jwt(new RSAKeyGenerator(2048).keyID("k").generate(), "eve", List.of("admin"), 600);
        assertThat(service.call("GET", "/v1/tokens", null, signed).status()).isEqualTo(401);
        // An unknown path is a 404 to anyone (it tells nothing), with the endpoints' index named.
        assertThat(service.call("GET", "/v1/no-such-endpoint", null, null).status()).isEqualTo(404);
    }

    /** Micronaut's other management endpoints are off: only /health and /prometheus, as documented. */
    @Test
    void managementEndpointsButHealthAndPrometheusAreOffForEveryRole() {
        List<String[]> calls = List.of(new String[]{"GET", "/metrics"}, new String[]{"GET", "/threaddump"},
                new String[]{"GET", "/routes"}, new String[]{"GET", "/beans"}, new String[]{"GET", "/env"},
                new String[]{"GET", "/loggers"}, new String[]{"GET", "/info"}, new String[]{"GET", "/caches"},
                new String[]{"POST", "/refresh"}, new String[]{"POST", "/stop"});
        for (String[] call : calls) {
            TestService.Reply none = service.call(call[0], call[1], call[0].equals("POST") ? "{}" : null, null);
            assertThat(none.status()).as(call[1] + " without a token").isIn(401, 404);
            for (String role : Roles.ALL) {
                TestService.Reply reply = service.call(call[0], call[1], call[0].equals("POST") ? "{}" : null,
                        service.tokenFor("role-" + role, role));
                assertThat(reply.status()).as(call[1] + " as " + role + ": " + reply.text()).isEqualTo(404);
            }
        }
        assertThat(service.call("GET", "/prometheus", null, service.token()).status()).isEqualTo(200);
        assertThat(service.call("GET", "/prometheus", null, null).status()).isEqualTo(401);
    }

    @Test
    void healthSaysUpToAnyoneAndDetailsOnlyWithAToken() {
        JsonNode anonymous = service.call("GET", "/health", null, null).json();
        assertThat(anonymous.get("status").asText()).isEqualTo("UP");
        assertThat(anonymous.path("details").isNull() || anonymous.path("details").isMissingNode())
                .as(anonymous.toString()).isTrue();
        JsonNode known = service.call("GET", "/health", null, service.tokenFor("role-reporter", Roles.REPORTER)).json();
        assertThat(known.get("status").asText()).isEqualTo("UP");
        assertThat(known.get("details").get("jdbc").get("status").asText()).as(known.toString()).isEqualTo("UP");
        // Not the datasource's URL, which may carry a password, to every holder of a token.
        assertThat(known.toString()).doesNotContain("jdbc:mysql:").doesNotContain("jdbc:mariadb:");
    }

    @Test
    void theAuthorOfAChangeIsThePrincipalNotAnXUserHeader() {
        String carol = service.tokenFor("carol", Roles.OPERATOR);
        TestService.Reply put = service.call("PUT", "/v1/weights", "{\"weights\": {}, \"reason\": \"mine\"}", carol);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().get("author").asText()).isEqualTo("carol");
        // A header naming someone else changes nothing: it is not read.
        io.micronaut.http.MutableHttpRequest<String> spoof = io.micronaut.http.HttpRequest.PUT("/v1/weights",
                "{\"weights\": {}, \"reason\": \"spoof\"}").contentType("application/json").header("X-User", "mallory")
                .bearerAuth(carol);
        String body = service.context().createBean(io.micronaut.http.client.HttpClient.class, service.url().toString())
                .toBlocking().retrieve(spoof);
        assertThat(body).contains("\"author\":\"carol\"").doesNotContain("mallory");
    }

    @Test
    void aTokenMadeOverHttpWorksUntilRevokedAndIsStoredOnlyAsAHash() {
        TestService.Reply made = service.call("POST", "/v1/tokens", "{\"name\": \"ci-bot\", \"role\": \"reporter\", "
                + "\"expiresDays\": 30}", service.token());
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        String token = made.json().get("token").asText();
        assertThat(token).startsWith(ApiTokens.PREFIX).hasSizeGreaterThan(40);
        assertThat(made.json().get("info").get("expiresAt").asText()).isNotBlank();
        assertThat(service.call("GET", "/v1/cluster", null, token).status()).isEqualTo(200);
        assertThat(service.context().getBean(ApiTokenRepository.class).findById("ci-bot").orElseThrow().tokenHash())
                .hasSize(64).isNotEqualTo(token).doesNotContain(token.substring(4));
        TestService.Reply list = service.call("GET", "/v1/tokens", null, service.token());
        assertThat(list.text()).contains("ci-bot").doesNotContain(token);

        TestService.Reply again = service.call("POST", "/v1/tokens", "{\"name\": \"ci-bot\", \"role\": \"reporter\"}",
                service.token());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("field").asText()).isEqualTo("name");
        TestService.Reply badRole = service.call("POST", "/v1/tokens", "{\"name\": \"x\", \"role\": \"root\"}",
                service.token());
        assertThat(badRole.json().get("field").asText()).isEqualTo("role");
        assertThat(badRole.json().get("value").asText()).isEqualTo("root");

        assertThat(service.call("DELETE", "/v1/tokens/ci-bot", null, service.token()).status()).isEqualTo(200);
        assertThat(service.call("GET", "/v1/cluster", null, token).status()).isEqualTo(401);
        assertThat(service.call("DELETE", "/v1/tokens/ci-bot", null, service.token()).status()).isEqualTo(404);
    }

    @Test
    void aTokenStopsWorkingWhenItExpires() throws Exception {
        ApiTokens tokens = service.context().getBean(ApiTokens.class);
        String token = tokens.create("short-lived", Roles.REPORTER, 1, "test").token();
        assertThat(tokens.authenticate(token)).isPresent();
        ApiTokens later = new ApiTokens(service.context().getBean(ApiTokenRepository.class),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(1).plusSeconds(1)));
        later.reload();
        assertThat(later.authenticate(token)).isEmpty();
        assertThat(later.authenticate(service.token())).as("a token without expiry").isPresent();
    }

    @Test
    void theFirstStartWritesAnOwnerOnlyAdminTokenAndLogsItsPathNeverTheToken() throws Exception {
        TestDatabase.Credentials fresh = TestDatabase.fresh();
        Path dir = ChildService.dataDir(fresh);
        try {
            ChildService serve = ChildService.start(fresh, Map.of());
            try {
                Path file = dir.resolve("admin.token");
                String token = serve.adminToken();
                assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                assertThat(serve.log()).contains(file.toAbsolutePath().toString()).doesNotContain(token);
                assertThat(serve.send("GET", "/v1/tokens", "", 200)).contains("\"name\":\"admin\"", "\"role\":\"admin\"");
            } finally {
                serve.terminate();
            }
            // A second start finds a token and makes none.
            Files.delete(dir.resolve("admin.token"));
            ChildService second = ChildService.start(fresh, Map.of());
            second.terminate();
            assertThat(dir.resolve("admin.token")).doesNotExist();
        } finally {
            TestDatabase.drop(fresh);
        }
    }

    @Test
    void theTokenCommandWorksOnTheDatabaseARunningServiceUses() throws Exception {
        ChildService.CliRun made = ChildService.cli(db, "token", "create", "--name", "from-cli", "--role", "operator",
                "--expires-days", "7");
        assertThat(made.exit()).as(made.err()).isZero();
        String token = made.out().strip();
        assertThat(token).startsWith(ApiTokens.PREFIX);
        assertThat(made.err()).contains("from-cli").doesNotContain(token);
        awaitStatus("/v1/cluster", token, 200); // the running service reloads its tokens every 2 s

        ChildService.CliRun list = ChildService.cli(db, "token", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("from-cli\toperator").doesNotContain(token);

        assertThat(ChildService.cli(db, "token", "create", "--name", "x", "--role", "root").exit()).isEqualTo(2);
        ChildService.CliRun duplicate = ChildService.cli(db, "token", "create", "--name", "from-cli", "--role",
                "operator");
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).contains("name").contains("from-cli");

        assertThat(ChildService.cli(db, "token", "revoke", "from-cli").exit()).isZero();
        awaitStatus("/v1/cluster", token, 401);
        assertThat(ChildService.cli(db, "token", "revoke", "from-cli").exit()).isEqualTo(2);
    }

    @Test
    void withTheEmbeddedDefaultTheTokenCommandSaysTheDatabaseIsInUseAndWorksOnceTheServiceStops() throws Exception {
        Path folder = Files.createTempDirectory("gpuplacer-readme");
        ChildService serve = ChildService.startEmbedded(folder);
        try {
            assertThat(folder.resolve("data").resolve("admin.token")).exists();
            // The database file holds token hashes: owner-only, as the token (it was rw-r--r--).
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("data")
                    .resolve("gpuplacer.mv.db")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("data"))))
                    .isEqualTo("rwx------");
            ChildService.CliRun busy = ChildService.cliIn(folder, "token", "create", "--name", "second", "--role",
                    "reporter");
            assertThat(busy.exit()).as(busy.err()).isEqualTo(2);
            assertThat(busy.err()).contains("in use by a running 'serve'", "POST /v1/tokens").doesNotContain("\tat ");
        } finally {
            serve.terminate();
        }
        ChildService.CliRun made = ChildService.cliIn(folder, "token", "create", "--name", "second", "--role",
                "reporter");
        assertThat(made.exit()).as(made.err()).isZero();
        String token = made.out().strip();
        ChildService again = ChildService.startEmbedded(folder);
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(again.base() + "/v1/cluster"))
                            .header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        } finally {
            again.terminate();
        }
        assertThat(ChildService.cliIn(folder, "token", "list").out()).contains("admin\tadmin", "second\treporter");
    }

    private static void awaitStatus(String path, String token, int expected) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        int status = service.call("GET", path, null, token).status();
        while (status != expected && System.currentTimeMillis() < end) {
            Thread.sleep(200);
            status = service.call("GET", path, null, token).status();
        }
        assertThat(status).isEqualTo(expected);
    }

    @Test
    void oidcJwtsAreCheckedAgainstTheConfiguredJwksWithRolesFromAClaim() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("test-key").generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try (TestService oidc = new TestService(db, Map.of(
                "micronaut.security.token.jwt.signatures.jwks.oidc.url",
                "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json",
                "micronaut.security.token.roles-name", "groups"))) {
            String operator = jwt(key, "dana@example.org", List.of("operator"), 600);
            TestService.Reply put = oidc.call("PUT", "/v1/weights", "{\"weights\": {}, \"reason\": \"oidc\"}", operator);
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            assertThat(put.json().get("author").asText()).isEqualTo("dana@example.org");
            String reporter = jwt(key, "erin@example.org", List.of("reporter"), 600);
            assertThat(oidc.call("GET", "/v1/weights", null, reporter).status()).isEqualTo(200);
            assertThat(oidc.call("PUT", "/v1/weights", "{\"weights\": {}, \"reason\": \"x\"}", reporter).status())
                    .isEqualTo(403);
            assertThat(oidc.call("GET", "/v1/weights", null, jwt(key, "old", List.of("admin"), -60)).status())
                    .as("expired").isEqualTo(401);
            long now = System.currentTimeMillis();
            assertThat(oidc.call("GET", "/v1/weights", null, signed(key, new JWTClaimsSet.Builder().subject("later")
                    .claim("groups", List.of("admin")).notBeforeTime(new Date(now + 365L * 86_400_000))
                    .expirationTime(new Date(now + 400L * 86_400_000)).build())).status())
                    .as("not before a year from now").isEqualTo(401);
            assertThat(oidc.call("GET", "/v1/weights", null, signed(key, new JWTClaimsSet.Builder().subject("forever")
                    .claim("groups", List.of("admin")).issueTime(new Date(now)).build())).status())
                    .as("no exp: it would never expire").isEqualTo(401);
            assertThat(oidc.call("GET", "/v1/weights", null, signed(key, new JWTClaimsSet.Builder().subject("skewed")
                    .claim("groups", List.of("admin")).notBeforeTime(new Date(now + 20_000))
                    .expirationTime(new Date(now + 600_000)).build())).status())
                    .as("nbf within the 60 s leeway").isEqualTo(200);
            assertThat(oidc.call("GET", "/v1/weights", null, jwt(stranger, "forged", List.of("admin"), 600))
                    .status()).as("signed by another key").isEqualTo(401);
            assertThat(oidc.call("GET", "/v1/weights", null, new com.nimbusds.jwt.PlainJWT(new JWTClaimsSet.Builder()
                    .subject("eve").claim("groups", List.of("admin")).build()).serialize()).status()).as("unsigned")
                    .isEqualTo(401);
        } finally {
            jwks.stop(0);
        }
    }

    private static String jwt(RSAKey key, String subject, List<String> groups, long secondsLeft) throws Exception {
        return signed(key, new JWTClaimsSet.Builder().subject(subject).claim("groups", groups)
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + secondsLeft * 1000))
                .build());
    }

    private static String signed(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims);
        signed.sign(new RSASSASigner(key));
        return signed.serialize();
    }
}
