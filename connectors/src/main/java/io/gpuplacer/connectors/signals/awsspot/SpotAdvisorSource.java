package io.gpuplacer.connectors.signals.awsspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SignalSource;
import io.gpuplacer.connectors.signals.SourceException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One pool's interruption rate from the Spot Advisor feed (an http(s) URL or a file), as a signal: the feed is a
 * monthly statistic, so every hour asked takes the same rate, with the feed's bucket as its estimation method.
 * A feed that does not list the pool is a configuration error (the region, os or instance type is wrong).
 */
public final class SpotAdvisorSource implements SignalSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpJson http;
    private final String location;
    private final String region;
    private final String os;
    private final String instanceType;

    public SpotAdvisorSource(HttpJson http, String location, String region, String os, String instanceType) {
        this.http = http;
        this.location = location;
        this.region = region;
        this.os = os;
        this.instanceType = instanceType;
    }

    @Override
    public String provider() {
        return "aws-spot-advisor";
    }

    @Override
    public List<SignalPoint> fetch(Instant from, int hours) throws SourceException {
        SpotAdvisor.Risk risk = SpotAdvisor.of(feed()).risk(region, os, instanceType).orElseThrow(() ->
                new SourceException(SourceException.Kind.CONFIGURATION, "aws-spot-advisor does not list "
                        + region + "/" + os + "/" + instanceType + " (check region, os and instance-type)"));
        List<SignalPoint> out = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            out.add(new SignalPoint(from.plus(h, ChronoUnit.HOURS), risk.interruptionPerHour(), true, null,
                    "monthly interruption bucket " + risk.label()));
        }
        return out;
    }

    private JsonNode feed() throws SourceException {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return http.get(URI.create(location), Map.of());
        }
        try {
            return JSON.readTree(Files.readString(Path.of(location)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SourceException(SourceException.Kind.MALFORMED, "aws-spot-advisor " + location
                    + ": not JSON (line " + e.getLocation().getLineNr() + "); the whole feed is rejected", e);
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.UNAVAILABLE, "aws-spot-advisor " + location
                    + ": cannot read: " + e.getMessage(), e);
        }
    }
}
