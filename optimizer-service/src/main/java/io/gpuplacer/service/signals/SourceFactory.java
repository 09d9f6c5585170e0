package io.gpuplacer.service.signals;

import io.gpuplacer.connectors.signals.HttpJson;
import io.gpuplacer.connectors.signals.SignalPoint;
import io.gpuplacer.connectors.signals.SignalSource;
import io.gpuplacer.connectors.signals.SourceException;
import io.gpuplacer.connectors.signals.awsspot.SpotAdvisorSource;
import io.gpuplacer.connectors.signals.electricitymaps.ElectricityMaps;
import io.gpuplacer.connectors.signals.prices.PriceFile;
import io.gpuplacer.connectors.signals.ukcarbon.UkCarbonIntensity;
import io.gpuplacer.connectors.signals.watttime.WattTime;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Makes the adapter a configured source names; a setting that cannot work names the entry and the key. */
public final class SourceFactory {

    static final String UK_URL = "https://api.carbonintensity.org.uk";
    static final String EMAPS_URL = "https://api.electricitymap.org";
    static final String WATTTIME_URL = "https://api.watttime.org";
    static final String SPOT_ADVISOR_URL = "https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json";

    private SourceFactory() {
    }

    public static SignalSource create(SourceSpec spec, HttpJson http, Clock clock) {
        return switch (spec.provider()) {
            case "uk-carbon-intensity" -> new UkCarbonIntensity(http, url(spec, UK_URL), regionId(spec));
            case "electricitymaps" -> new ElectricityMaps(http, url(spec, EMAPS_URL),
                    spec.setting("provider-zone") != null ? spec.setting("provider-zone") : spec.target(),
                    spec.setting("token"));
            case "watttime" -> wattTime(spec, http, clock);
            case "price-file", "csv", "json" -> new PriceFile(spec.setting("path") != null ? spec.setting("path")
                    : spec.required("url"), spec.target());
            case "aws-spot-advisor" -> new SpotAdvisorSource(http, spec.setting("path") != null
                    ? spec.setting("path") : spec.setting("url") != null ? spec.setting("url") : SPOT_ADVISOR_URL,
                    spec.required("region"), spec.setting("os") != null ? spec.setting("os") : "Linux",
                    spec.required("instance-type"));
            case "fixed" -> fixed(spec);
            default -> throw new IllegalArgumentException(spec.where() + ".provider: \"" + spec.provider()
                    + "\" has no adapter");
        };
    }

    private static SignalSource wattTime(SourceSpec spec, HttpJson http, Clock clock) {
        try {
            return new WattTime(http, url(spec, WATTTIME_URL), spec.required("region"),
                    spec.setting("signal-type") != null ? spec.setting("signal-type") : "co2_moer",
                    spec.setting("username"), spec.setting("password"), clock);
        } catch (SourceException e) {
            throw new IllegalArgumentException(spec.where() + ".signal-type: " + e.getMessage(), e);
        }
    }

    /** A pool's rate fixed by configuration: every hour takes it, not estimated. */
    private static SignalSource fixed(SourceSpec spec) {
        double rate = number(spec, "interruption-per-hour", 0, 1);
        return new SignalSource() {
            @Override
            public String provider() {
                return "fixed";
            }

            @Override
            public List<SignalPoint> fetch(Instant from, int hours) {
                List<SignalPoint> out = new ArrayList<>();
                for (int h = 0; h < hours; h++) {
                    out.add(new SignalPoint(from.plus(h, ChronoUnit.HOURS), rate, false, null, "configured"));
                }
                return out;
            }
        };
    }

    private static URI url(SourceSpec spec, String fallback) {
        String text = spec.setting("url") != null ? spec.setting("url") : fallback;
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException(spec.where() + ".url: \"" + text + "\" is not an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(spec.where() + ".url: \"" + text + "\" is not a URL", e);
        }
    }

    private static Integer regionId(SourceSpec spec) {
        return spec.setting("region-id") == null ? null : (int) number(spec, "region-id", 1, 17);
    }

    private static double number(SourceSpec spec, String key, double min, double max) {
        String text = spec.required(key);
        try {
            double value = Double.parseDouble(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(spec.where() + "." + key + ": \"" + text + "\" must be a number of "
                + min + ".." + max);
    }
}
