package io.gpuplacer.connectors.signals.prices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SignalSource;
import io.gpuplacer.connectors.signals.SourceException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Hourly power prices of one zone from a file or URL, so that day-ahead prices from any market operator can be fed
 * (the bundled 2024 series are in this form). CSV with a header: a time column ({@code datetime} or
 * {@code Datetime (UTC)}: an ISO instant, or {@code 2024-05-30 00:00:00+00:00}), a price column
 * ({@code price_usd_per_mwh} or {@code Price (USD/MWh)}), and optionally {@code zone} (then only this zone's rows
 * count). Or JSON: {@code [{"datetime", "priceUsdPerMwh", "zone"}]}. {@code .gz} is read as gzip. Prices are
 * measured market results or published day-ahead prices: not estimated. A row that does not read rejects the file.
 */
public final class PriceFile implements SignalSource {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String location;
    private final String zone;

    /** {@code location}: a path, or an http(s) URL; {@code zone}: the zone whose rows count when there is a column. */
    public PriceFile(String location, String zone) {
        this.location = location;
        this.zone = zone;
    }

    @Override
    public String provider() {
        return "price-file";
    }

    @Override
    public List<SignalPoint> fetch(Instant from, int hours) throws SourceException {
        String text = read();
        Map<Instant, Double> byHour = location.replace(".gz", "").endsWith(".json") || text.stripLeading()
                .startsWith("[") ? json(text) : csv(text);
        Instant end = from.plus(hours, ChronoUnit.HOURS);
        List<SignalPoint> out = new ArrayList<>();
        byHour.forEach((hour, price) -> {
            if (!hour.isBefore(from) && hour.isBefore(end)) {
                out.add(new SignalPoint(hour, price, false, null, null));
            }
        });
        return out;
    }

    private String read() throws SourceException {
        try (InputStream raw = open(); InputStream in = location.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.UNAVAILABLE, "price-file " + shown() + ": cannot read: "
                    + e.getMessage(), e);
        }
    }

    private InputStream open() throws IOException, SourceException {
        if (!location.startsWith("http://") && !location.startsWith("https://")) {
            return Files.newInputStream(Path.of(location));
        }
        try {
            HttpResponse<InputStream> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw new SourceException(r.statusCode() == 401 || r.statusCode() == 403
                        ? SourceException.Kind.CONFIGURATION : SourceException.Kind.UNAVAILABLE,
                        "price-file " + shown() + " answered " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Map<Instant, Double> csv(String text) throws SourceException {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw malformed("empty");
        }
        List<String> header = List.of(lines.get(0).split(",", -1)).stream().map(String::strip).toList();
        int time = column(header, "datetime", "Datetime (UTC)");
        int price = column(header, "price_usd_per_mwh", "Price (USD/MWh)");
        int zoneColumn = header.indexOf("zone");
        Map<Instant, Double> byHour = new TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != header.size()) {
                throw malformed("line " + (i + 1) + " has " + f.length + " fields, the header " + header.size());
            }
            if (zoneColumn >= 0 && !f[zoneColumn].strip().equals(zone)) {
                continue;
            }
            put(byHour, instant(f[time].strip(), "line " + (i + 1)), number(f[price].strip(), "line " + (i + 1)),
                    "line " + (i + 1));
        }
        return byHour;
    }

    private Map<Instant, Double> json(String text) throws SourceException {
        JsonNode rows;
        try {
            rows = JSON.readTree(text);
        } catch (IOException e) {
            throw malformed("not JSON");
        }
        if (!rows.isArray()) {
            throw malformed("expected an array of {datetime, priceUsdPerMwh, zone}");
        }
        Map<Instant, Double> byHour = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String where = "[" + i + "]";
            if (row.has("zone") && !row.path("zone").asText().equals(zone)) {
                continue;
            }
            if (!row.path("priceUsdPerMwh").isNumber()) {
                throw malformed(where + ".priceUsdPerMwh is not a number");
            }
            put(byHour, instant(row.path("datetime").asText(), where), row.path("priceUsdPerMwh").asDouble(), where);
        }
        return byHour;
    }

    private void put(Map<Instant, Double> byHour, Instant at, double price, String where) throws SourceException {
        if (Math.abs(price) > 100_000) {
            throw malformed(where + ": price " + price + " is outside -100000..100000 USD/MWh");
        }
        if (byHour.put(at.truncatedTo(ChronoUnit.HOURS), price) != null) {
            throw malformed(where + ": a second price for " + at.truncatedTo(ChronoUnit.HOURS));
        }
    }

    private Instant instant(String text, String where) throws SourceException {
        try {
            return text.contains("T") ? OffsetDateTime.parse(text).toInstant()
                    : OffsetDateTime.parse(text, SPACED).toInstant();
        } catch (DateTimeParseException e) {
            throw malformed(where + ": time \"" + text + "\" is not like 2024-05-30T00:00:00Z or "
                    + "2024-05-30 00:00:00+00:00");
        }
    }

    private double number(String text, String where) throws SourceException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw malformed(where + ": price \"" + text + "\" is not a number");
        }
    }

    private int column(List<String> header, String... names) throws SourceException {
        for (String name : names) {
            if (header.contains(name)) {
                return header.indexOf(name);
            }
        }
        throw malformed("no column " + String.join(" or ", names));
    }

    private SourceException malformed(String what) {
        return new SourceException(SourceException.Kind.MALFORMED, "price-file " + shown() + ": " + what
                + "; the whole file is rejected");
    }

    /** A URL without its query (it may carry a key). */
    private String shown() {
        int q = location.indexOf('?');
        return q < 0 ? location : location.substring(0, q);
    }
}
