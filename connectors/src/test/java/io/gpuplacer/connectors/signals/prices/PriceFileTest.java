package io.gpuplacer.connectors.signals.prices;

import io.gpuplacer.connectors.signals.ReplayServer;
import io.gpuplacer.connectors.signals.ReplayServer.Answer;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real DE-LU 2024 day-ahead series (test resources) in the bundled layout, in the documented one, and as JSON. */
class PriceFileTest {

    private static String bundled() throws Exception {
        try (InputStream in = PriceFileTest.class.getResourceAsStream("/signals/de-lu-prices-2024.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The series as (hour, price), read here with the plainest code: split on commas. */
    private static List<String[]> rows() throws Exception {
        List<String> lines = bundled().lines().toList();
        List<String[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.add(new String[]{f[0].replace(" ", "T").replace("+00:00", "Z"), f[2]});
        }
        return out;
    }

    @Test
    void theBundledLayoutAGzipFileTheDocumentedColumnsAndJsonReadTheSame(@TempDir Path dir) throws Exception {
        List<String[]> rows = rows();
        Instant from = Instant.parse(rows.get(0)[0]);
        Path plain = Files.writeString(dir.resolve("de.csv"), bundled());
        Path gz = dir.resolve("de.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(bundled().getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder documented = new StringBuilder("zone,datetime,price_usd_per_mwh\n");
        StringBuilder json = new StringBuilder("[");
        for (String[] r : rows) {
            documented.append("DE-LU,").append(r[0]).append(',').append(r[1]).append('\n');
            documented.append("FR,").append(r[0]).append(",1.0\n"); // another zone's rows are left out
            json.append(json.length() > 1 ? "," : "").append("{\"zone\": \"DE-LU\", \"datetime\": \"").append(r[0])
                    .append("\", \"priceUsdPerMwh\": ").append(r[1]).append('}');
        }
        Path multi = Files.writeString(dir.resolve("prices.csv"), documented);
        Path asJson = Files.writeString(dir.resolve("prices.json"), json.append(']'));
        for (Path file : List.of(plain, gz, multi, asJson)) {
            List<SignalPoint> points = new PriceFile(file.toString(), "DE-LU").fetch(from, 48);
            assertThat(points).as(file.toString()).hasSize(48);
            for (int h = 0; h < 48; h++) {
                assertThat(points.get(h).hour()).isEqualTo(Instant.parse(rows.get(h)[0]));
                assertThat(points.get(h).value()).isEqualTo(Double.parseDouble(rows.get(h)[1]));
                assertThat(points.get(h).estimated()).isFalse();
            }
        }
        // Partial coverage: the file ends after 72 hours.
        assertThat(new PriceFile(plain.toString(), "DE-LU").fetch(from.plusSeconds(3600L * 60), 48)).hasSize(12);
    }

    @Test
    void aUrlIsReadAndABadRowRejectsTheWholeFile(@TempDir Path dir) throws Exception {
        Instant from = Instant.parse(rows().get(0)[0]);
        try (ReplayServer server = new ReplayServer()) {
            server.on("/prices/de.csv", Answer.ok(bundled()));
            assertThat(new PriceFile(server.base() + "/prices/de.csv", "DE-LU").fetch(from, 24)).hasSize(24);
            server.on("/prices/de.csv", Answer.status(403));
            assertKind(new PriceFile(server.base() + "/prices/de.csv?key=s3cret", "DE-LU"), from,
                    SourceException.Kind.CONFIGURATION, "s3cret");
        }
        String broken = bundled().replace("99.59548880000011", "n/a");
        assertKind(new PriceFile(Files.writeString(dir.resolve("b.csv"), broken).toString(), "DE-LU"), from,
                SourceException.Kind.MALFORMED, null);
        String twice = bundled() + bundled().lines().skip(1).findFirst().orElseThrow() + "\n";
        assertKind(new PriceFile(Files.writeString(dir.resolve("t.csv"), twice).toString(), "DE-LU"), from,
                SourceException.Kind.MALFORMED, null);
        assertKind(new PriceFile(dir.resolve("missing.csv").toString(), "DE-LU"), from,
                SourceException.Kind.UNAVAILABLE, null);
    }

    private static void assertKind(PriceFile source, Instant from, SourceException.Kind kind, String secret) {
        assertThatThrownBy(() -> source.fetch(from, 24)).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            if (secret != null) {
                assertThat(e.getMessage()).doesNotContain(secret);
            }
        });
    }
}
