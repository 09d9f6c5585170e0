package io.gpuplacer.connectors.signals.awsspot;

import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpotAdvisorSourceTest {

    private static final HttpJson FAST = new HttpJson(Duration.ofMillis(500), 2, Duration.ofMillis(10));
    private static final Instant FROM = Instant.parse("2026-12-01T10:00:00Z");

    private static String excerpt() throws Exception {
        try (InputStream in = SpotAdvisorSourceTest.class.getResourceAsStream("/signals/spot-advisor-excerpt.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyHourAskedTakesThePoolsRateFromAUrlOrAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("feed.json"), excerpt());
        try (ReplayServer server = new ReplayServer()) {
            server.on("/feed.json", ReplayServer.Answer.ok(excerpt()));
            for (String location : List.of(server.base() + "/feed.json", file.toString())) {
                List<SignalPoint> points = new SpotAdvisorSource(FAST, location, "us-east-1", "Linux", "p4d.24xlarge")
                        .fetch(FROM, 5);
                assertThat(points).hasSize(5);
                assertThat(points.get(4).hour()).isEqualTo(FROM.plusSeconds(4 * 3600));
                assertThat(points).allSatisfy(p -> {
                    assertThat(p.value()).isCloseTo(-Math.log(1 - 0.125) / 730, within(1e-12)); // r=2: 10-15%
                    assertThat(p.estimationMethod()).isEqualTo("monthly interruption bucket 10-15%");
                });
            }
        }
    }

    @Test
    void aPoolTheFeedDoesNotListIsAConfigurationErrorAndABadFileIsMalformed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("feed.json"), excerpt());
        assertThatThrownBy(() -> new SpotAdvisorSource(FAST, file.toString(), "us-east-1", "Linux", "p9.mega")
                .fetch(FROM, 1)).isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SourceException.Kind.CONFIGURATION);
                    assertThat(e.getMessage()).contains("us-east-1/Linux/p9.mega");
                });
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"ranges\": [");
        assertThatThrownBy(() -> new SpotAdvisorSource(FAST, bad.toString(), "us-east-1", "Linux", "p4d.24xlarge")
                .fetch(FROM, 1)).isInstanceOfSatisfying(SourceException.class, e ->
                assertThat(e.kind()).isEqualTo(SourceException.Kind.MALFORMED));
        assertThatThrownBy(() -> new SpotAdvisorSource(FAST, dir.resolve("none.json").toString(), "us-east-1", "Linux",
                "p4d.24xlarge").fetch(FROM, 1)).isInstanceOfSatisfying(SourceException.class, e ->
                assertThat(e.kind()).isEqualTo(SourceException.Kind.UNAVAILABLE));
    }
}
