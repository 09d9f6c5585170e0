package io.gpuplacer.service.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A setting out of range stops the service at start-up, with a message naming the key and the value. */
class ConfigurationTest {

    @Test
    void aHorizonOutOfRangeStopsTheStartNamingTheKey() {
        assertStartFails(Map.of("gpuplacer.horizon-hours", 500),
                "gpuplacer.horizon-hours (GPUPLACER_HORIZON_HOURS) must be 1..168");
    }

    /**
     * A value that does not read as its type stops the start naming the key and its variable. Fails on the records
     * alone: Micronaut binds such a value as the default, in silence.
     */
    @Test
    void aValueThatDoesNotReadStopsTheStartNamingTheKeyAndItsVariable() {
        assertStartFails(Map.of("gpuplacer.horizon-hours", "abc"),
                "gpuplacer.horizon-hours (GPUPLACER_HORIZON_HOURS): \"abc\" is not a whole number");
        assertStartFails(Map.of("gpuplacer.telemetry.window", "ten minutes"),
                "gpuplacer.telemetry.window (GPUPLACER_TELEMETRY_WINDOW): \"ten minutes\" is not a duration");
        assertStartFails(Map.of("gpuplacer.telemetry.unhealthy-xids", "48,x"),
                "gpuplacer.telemetry.unhealthy-xids (GPUPLACER_TELEMETRY_UNHEALTHY_XIDS): \"x\" is not a whole number");
        assertStartFails(Map.of("gpuplacer.kubernetes.apply", "yes"),
                "gpuplacer.kubernetes.apply (GPUPLACER_KUBERNETES_APPLY): \"yes\" is not true or false");
    }

    @Test
    void aDurationOutOfRangeStopsTheStartNamingTheKey() {
        assertStartFails(Map.of("gpuplacer.http.header-timeout", "0s"),
                "gpuplacer.http.header-timeout (GPUPLACER_HTTP_HEADER_TIMEOUT): 0 ms; must be 1s..1h");
        assertStartFails(Map.of("gpuplacer.kubernetes.actions.ttl", "90d"),
                "gpuplacer.kubernetes.actions.ttl (GPUPLACER_KUBERNETES_ACTIONS_TTL)");
    }

    /** A list entry names its place: a number that does not read, one out of range, a key no entry has. */
    @Test
    void aWrongListEntryStopsTheStartNamingItsPlaceAndKey() {
        assertStartFails(Map.of("gpuplacer.kubernetes.zones", List.of(Map.of("topology-zone", "a", "zone", "DE"),
                        Map.of("topology-zone", "b", "zone", "FR", "pue", "abc"))),
                "gpuplacer.kubernetes.zones[1].pue: \"abc\" is not a number");
        assertStartFails(Map.of("gpuplacer.kubernetes.zones", List.of(Map.of("topology-zone", "a", "zone", "DE",
                        "pue", 20))),
                "gpuplacer.kubernetes.zones[0].pue: 20.0; must be a number of 1.0..10.0");
        assertStartFails(Map.of("gpuplacer.kubernetes.node-types", List.of(Map.of("type", "p5", "cost-per-hour", 9,
                        "base-watts", 900, "gpu-busy-watts", 600, "gpu-busy-wats", 1))),
                "gpuplacer.kubernetes.node-types[0].gpu-busy-wats: not a setting of gpuplacer.kubernetes.node-types; "
                        + "valid: type, cost-per-hour, base-watts, gpu-busy-watts, always-on");
        assertStartFails(Map.of("gpuplacer.ledger.gpu-idle-watts", List.of(Map.of("gpu-model", "H100-80GB"))),
                "gpuplacer.ledger.gpu-idle-watts[0].watts: missing");
    }

    /** Slurm's settings, once enabled: the address, user, one token source and the zone, each named when wrong. */
    @Test
    void slurmSettingsThatCannotWorkStopTheStartNamingTheKey() {
        Map<String, Object> slurm = new HashMap<>(Map.of("gpuplacer.slurm.enabled", true,
                "gpuplacer.slurm.url", "http://slurmctld:6820", "gpuplacer.slurm.user", "gpuplacer",
                "gpuplacer.slurm.token", "eyJ.x.y", "gpuplacer.slurm.zone", "DE-LU"));
        Map<String, Object> noUrl = new HashMap<>(slurm);
        noUrl.put("gpuplacer.slurm.url", "slurmctld:6820");
        assertStartFails(noUrl, "gpuplacer.slurm.url (GPUPLACER_SLURM_URL): \"slurmctld:6820\"; must be slurmrestd's");
        Map<String, Object> twoTokens = new HashMap<>(slurm);
        twoTokens.put("gpuplacer.slurm.token-file", "/run/secrets/slurm.jwt");
        assertStartFails(twoTokens, "gpuplacer.slurm.token (GPUPLACER_SLURM_TOKEN) or gpuplacer.slurm.token-file "
                + "(GPUPLACER_SLURM_TOKEN_FILE): exactly one must be set");
        Map<String, Object> noZone = new HashMap<>(slurm);
        noZone.remove("gpuplacer.slurm.zone");
        assertStartFails(noZone, "gpuplacer.slurm.zone (GPUPLACER_SLURM_ZONE): missing");
        assertStartFails(Map.of("gpuplacer.slurm.poll", "0s"), "gpuplacer.slurm.poll (GPUPLACER_SLURM_POLL)");
        assertThat(new io.gpuplacer.service.config.SlurmSettings(true, "http://s:6820", "u", "eyJ.secret.sig", "",
                false, "DE-LU", 1.0, java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(10), 24).toString())
                .as("settings are logged without the token").doesNotContain("secret").contains("token=(set)");
    }

    /** A queues file that breaks the contract (section 9) stops the start, naming the file, field and value. */
    @Test
    void aQueuesFileThatBreaksTheContractStopsTheStart() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("gpuplacer-queues");
        java.nio.file.Path bad = dir.resolve("queues.json");
        java.nio.file.Files.writeString(bad, "{\"queues\": [{\"id\": \"nlp\", \"quotas\": [{\"flavor\": \"H100-80GB\", "
                + "\"nominalGpus\": -4}]}]}");
        Map<String, Object> kubernetes = Map.of("gpuplacer.kubernetes.enabled", true,
                "gpuplacer.kubernetes.master-url", "http://127.0.0.1:1", "gpuplacer.kubernetes.queues-file",
                bad.toString());
        assertStartFails(kubernetes, "gpuplacer.kubernetes.queues-file: " + bad + ": queues[0].quotas[0].nominalGpus: "
                + "-4 must be >= 0");
        java.nio.file.Files.writeString(bad, "{\"queues\": [{\"id\": \"nlp\"}], \"localQueues\": {\"ns/lq\": "
                + "\"ml\"}}");
        assertStartFails(kubernetes, "localQueues.ns/lq: \"ml\" is not a queue of the file");
        Map<String, Object> missing = new HashMap<>(kubernetes);
        missing.put("gpuplacer.kubernetes.queues-file", dir.resolve("none.json").toString());
        assertStartFails(missing, "none.json: no such file");
    }

    /** docs/service.md lists every setting the records hold. */
    @Test
    void theDocsListEverySetting() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "service.md"));
        List<String> missing = io.gpuplacer.service.config.SettingsCheck.keys().stream()
                .filter(key -> !docs.contains("`" + key + "`")).toList();
        assertThat(missing).as("settings docs/service.md does not list").isEmpty();
    }

    private static String dataDir() {
        try {
            return java.nio.file.Files.createTempDirectory("gpuplacer-config-test").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A start that the settings stop. On the embedded database of a temporary directory, not the shared MariaDB: a
     * start that fails leaves the connection pool it had opened to the process's end (which ends a real start), and
     * a few dozen such starts in one test JVM took the server to its 151 connections.
     */
    private static void assertStartFails(Map<String, Object> settings, String message) {
        String dir = dataDir();
        Map<String, Object> props = new HashMap<>();
        props.put("datasources.default.url", "jdbc:h2:file:" + dir + "/gpuplacer;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                + "CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_ON_EXIT=FALSE");
        props.put("micronaut.server.port", -1);
        props.put("gpuplacer.data-dir", dir); // a start that gets far makes the first admin token there
        props.putAll(settings);
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, props).close())
                .hasStackTraceContaining(message);
    }
}
