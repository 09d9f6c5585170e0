package io.gpuplacer.connectors.signals.awsspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.connectors.signals.SourceException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS Spot Instance Advisor feed: {@code spot_advisor.{region}.{os}.{type}.r} is an index into {@code ranges},
 * the share of that pool's instances interrupted in a month ({@code <5%}, {@code 5-10%}, {@code 10-15%},
 * {@code 15-20%}, {@code >20%}). That share becomes the model's {@code interruptionPerHour}: the middle of the
 * range (2.5, 7.5, 12.5, 17.5%; {@code >20%} is taken as 25%) as the chance of at least one interruption in a
 * month of 730 hours, so {@code rate = -ln(1 - share) / 730}. A fixed value per pool in the configuration
 * overrides it (the feed is coarse).
 */
public final class SpotAdvisor {

    public static final double HOURS_PER_MONTH = 730;

    /** A pool's risk: the feed's bucket and label, the monthly share taken from it, and the hourly rate. */
    public record Risk(int bucket, String label, double monthlyShare, double interruptionPerHour,
                       int savingsPercent) {
    }

    private final Map<Integer, String> labels = new HashMap<>();
    private final JsonNode advisor;

    private SpotAdvisor(JsonNode feed) throws SourceException {
        JsonNode ranges = feed.path("ranges");
        advisor = feed.path("spot_advisor");
        if (!ranges.isArray() || ranges.isEmpty() || !advisor.isObject()) {
            throw new SourceException(SourceException.Kind.MALFORMED, "aws-spot-advisor: no \"ranges\" or "
                    + "\"spot_advisor\"; the whole feed is rejected");
        }
        for (JsonNode range : ranges) {
            if (!range.path("index").canConvertToInt() || !range.path("label").isTextual()) {
                throw new SourceException(SourceException.Kind.MALFORMED, "aws-spot-advisor: a range without "
                        + "index and label: " + range);
            }
            labels.put(range.path("index").asInt(), range.path("label").asText());
        }
    }

    public static SpotAdvisor of(JsonNode feed) throws SourceException {
        return new SpotAdvisor(feed);
    }

    /** The pool's risk, empty when the feed does not list it. */
    public Optional<Risk> risk(String region, String os, String instanceType) throws SourceException {
        JsonNode entry = advisor.path(region).path(os).path(instanceType);
        if (entry.isMissingNode()) {
            return Optional.empty();
        }
        int bucket = entry.path("r").asInt(-1);
        String label = labels.get(bucket);
        if (label == null) {
            throw new SourceException(SourceException.Kind.MALFORMED, "aws-spot-advisor: " + region + "/" + os + "/"
                    + instanceType + " has r=" + entry.path("r") + ", not an index of ranges");
        }
        double share = share(label);
        return Optional.of(new Risk(bucket, label, share, -Math.log(1 - share) / HOURS_PER_MONTH,
                entry.path("s").asInt(0)));
    }

    /** The middle of a label's range, e.g. "10-15%" -> 0.125; "<5%" -> 0.025; ">20%" -> 0.25. */
    static double share(String label) throws SourceException {
        String l = label.replace("%", "").strip();
        try {
            if (l.startsWith("<")) {
                return Double.parseDouble(l.substring(1)) / 2 / 100;
            }
            if (l.startsWith(">")) {
                return (Double.parseDouble(l.substring(1)) + 5) / 100;
            }
            String[] bounds = l.split("-");
            return (Double.parseDouble(bounds[0]) + Double.parseDouble(bounds[1])) / 2 / 100;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new SourceException(SourceException.Kind.MALFORMED, "aws-spot-advisor: range label \"" + label
                    + "\" is not like <5%, 5-10% or >20%");
        }
    }
}
