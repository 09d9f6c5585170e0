package io.gpuplacer.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.service.security.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube-scheduler's way in: TLS with a client certificate signed by the configured CA authenticates as the scheduler
 * role (kube-scheduler cannot send a bearer token to an extender). Certificates made with the JDK's keytool: a CA,
 * the server's, kube-scheduler's, and a self-signed one the CA never signed.
 */
class ClientCertificateTest {

    static final String PASS = "changeit";
    static Path dir;
    static TestService service;
    static String base;

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool %s: %s", cmd, out).isZero();
    }

    /** A key pair in its own PKCS12 store, its certificate signed by the CA (or self-signed). */
    static void keyPair(String alias, String cn, boolean signedByCa, String san) throws Exception {
        keyPair(alias, cn, signedByCa ? "ca" : null, san);
    }

    /** The same, signed by the CA of that alias (null: self-signed). */
    static void keyPair(String alias, String cn, String ca, String san) throws Exception {
        boolean signedByCa = ca != null;
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "2", "-keystore", alias + ".p12", "-storetype", "PKCS12", "-storepass", PASS);
        if (!signedByCa) {
            return;
        }
        keytool("-certreq", "-alias", alias, "-keystore", alias + ".p12", "-storepass", PASS, "-file", alias + ".csr");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", ca, "-keystore", ca + ".p12", "-storepass",
                PASS, "-infile", alias + ".csr", "-outfile", alias + ".pem", "-rfc", "-validity", "2"));
        if (san != null) {
            gencert.addAll(List.of("-ext", "SAN=" + san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-alias", ca, "-file", ca + ".pem", "-keystore", alias + ".p12", "-storepass", PASS,
                "-noprompt");
        keytool("-importcert", "-alias", alias, "-file", alias + ".pem", "-keystore", alias + ".p12", "-storepass",
                PASS);
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("client-certs");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=scheduler-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PASS);
        keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASS, "-rfc", "-file", "ca.pem");
        keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", PASS, "-noprompt");
        // A second CA the server's trust store also holds (as a store shared with other clients would): the TLS
        // handshake accepts what it signs, but it is not the scheduler's issuer.
        keytool("-genkeypair", "-alias", "other-ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=other-ca", "-ext", "bc:c", "-validity", "2", "-keystore", "other-ca.p12", "-storetype", "PKCS12",
                "-storepass", PASS);
        keytool("-exportcert", "-alias", "other-ca", "-keystore", "other-ca.p12", "-storepass", PASS, "-rfc", "-file",
                "other-ca.pem");
        keytool("-importcert", "-alias", "other-ca", "-file", "other-ca.pem", "-keystore", "trust.p12", "-storetype",
                "PKCS12", "-storepass", PASS, "-noprompt");
        keyPair("other", "kube-scheduler", "other-ca", null);
        keyPair("server", "localhost", true, "dns:localhost,ip:127.0.0.1");
        keyPair("scheduler", "kube-scheduler", true, null);
        keyPair("rogue", "kube-scheduler", false, null);
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.ssl.enabled", true);
        props.put("micronaut.server.ssl.port", -1);
        props.put("micronaut.server.ssl.key-store.path", "file:" + dir.resolve("server.p12"));
        props.put("micronaut.server.ssl.key-store.password", PASS);
        props.put("micronaut.server.ssl.key-store.type", "PKCS12");
        props.put("micronaut.server.ssl.trust-store.path", "file:" + dir.resolve("trust.p12"));
        props.put("micronaut.server.ssl.trust-store.password", PASS);
        props.put("micronaut.server.ssl.trust-store.type", "PKCS12");
        props.put("micronaut.server.ssl.client-authentication", "want");
        props.put("gpuplacer.security.client-certificates.enabled", true);
        props.put("gpuplacer.security.client-certificates.issuer", "CN=scheduler-ca");
        service = new TestService(TestDatabase.fresh(), props);
        base = "https://localhost:" + service.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class)
                .getPort();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static KeyStore store(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            ks.load(in, PASS.toCharArray());
        }
        return ks;
    }

    /** A client trusting the CA, presenting the key pair of that store (null: no certificate). */
    static HttpClient client(String keys) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store("trust.p12"));
        SSLContext ssl = SSLContext.getInstance("TLS");
        javax.net.ssl.KeyManager[] km = null;
        if (keys != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store(keys), PASS.toCharArray());
            km = kmf.getKeyManagers();
        }
        ssl.init(km, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    }

    static HttpResponse<String> send(HttpClient client, String method, String path, String body, String bearer)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
                "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String filterArgs() {
        return ExtenderPods.args(ExtenderPods.pod(Recommendations.job("c", 1, "{\"kind\":\"WHOLE\",\"count\":1}",
                "ANY"), "c-0", "uid-c"), List.of("a", "b"));
    }

    @Test
    void aCertificateTheCaSignedIsTheSchedulerRole() throws Exception {
        HttpClient scheduler = client("scheduler.p12");
        HttpResponse<String> filter = send(scheduler, "POST", "/v1/k8s/extender/filter", filterArgs(), null);
        assertThat(filter.statusCode()).as(filter.body()).isEqualTo(200);
        assertThat(TestService.JSON.readTree(filter.body()).has("FailedNodes")).isTrue();
        // The scheduler role and no other.
        assertThat(send(scheduler, "PUT", "/v1/cluster", "{}", null).statusCode()).isEqualTo(403);
        // Its changes are recorded under the certificate's name.
        HttpResponse<String> bind = send(scheduler, "POST", "/v1/k8s/extender/bind", "{\"PodName\": \"c-0\", "
                + "\"PodNamespace\": \"ml\", \"Node\": \"a\"}", null);
        assertThat(bind.statusCode()).isEqualTo(200);
        JsonNode audit = TestService.JSON.readTree(send(client(null), "GET", "/v1/audit", null, service.token()).body());
        JsonNode row = audit.get(0);
        assertThat(row.get("principal").asText()).isEqualTo("cert:kube-scheduler");
        assertThat(row.get("target").asText()).contains("pod ml/c-0 to a");
    }

    @Test
    void withoutACertificateBearerTokensStillDecide() throws Exception {
        HttpClient anonymous = client(null);
        assertThat(send(anonymous, "POST", "/v1/k8s/extender/filter", filterArgs(), null).statusCode())
                .isEqualTo(401);
        assertThat(send(anonymous, "POST", "/v1/k8s/extender/filter", filterArgs(),
                service.tokenFor("ops", Roles.OPERATOR)).statusCode()).isEqualTo(403);
        assertThat(send(anonymous, "POST", "/v1/k8s/extender/filter", filterArgs(),
                service.tokenFor("kube-scheduler-token", Roles.SCHEDULER)).statusCode()).isEqualTo(200);
    }

    @Test
    void aCertificateTheCaDidNotSignGetsNoRole() throws Exception {
        HttpClient rogue = client("rogue.p12");
        int status;
        try {
            status = send(rogue, "POST", "/v1/k8s/extender/filter", filterArgs(), null).statusCode();
        } catch (IOException e) {
            status = -1; // the handshake refused the certificate: no request was served
        }
        assertThat(status).as("an untrusted certificate: refused at the handshake (-1) or unauthenticated")
                .isIn(-1, 401);
    }

    /** Fails without the issuer check: any certificate the handshake accepted got the scheduler role. */
    @Test
    void aCertificateAnotherTrustedCaSignedGetsNoRole() throws Exception {
        HttpClient other = client("other.p12");
        HttpResponse<String> filter = send(other, "POST", "/v1/k8s/extender/filter", filterArgs(), null);
        assertThat(filter.statusCode()).as(filter.body()).isEqualTo(401);
    }

    /** The role needs the CA named: without a trust store or an issuer the service does not start. */
    @Test
    void clientCertificatesWithoutATrustStoreOrAnIssuerStopTheStart() {
        TestDatabase.Credentials db = TestDatabase.fresh();
        Map<String, Object> props = new HashMap<>(db.properties());
        props.put("micronaut.server.port", -1);
        props.put("gpuplacer.security.client-certificates.enabled", true);
        assertThat(startFailure(props)).contains("micronaut.server.ssl.trust-store.path");
        props.put("micronaut.server.ssl.trust-store.path", "file:" + dir.resolve("trust.p12"));
        assertThat(startFailure(props)).contains("gpuplacer.security.client-certificates.issuer");
        TestDatabase.drop(db);
    }

    private static String startFailure(Map<String, Object> props) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> io.micronaut.context.ApplicationContext
                .run(io.micronaut.runtime.server.EmbeddedServer.class, props).close());
        assertThat(thrown).as("the start failed").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
