package io.gpuplacer.service.reports;

import io.gpuplacer.model.interchange.InputException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** What a report covers: [from, to) and the groups it sums by, checked as it is read. */
public record ReportQuery(Instant from, Instant to, List<String> groupBy) {

    public static final List<String> GROUPS = List.of("team", "queue", "job", "zone", "node", "gpuModel", "hour",
            "day", "month");
    static final Duration MAX_SPAN = Duration.ofDays(400);
    /** What the ledger's DATETIME columns hold on every supported database. */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    /** Reads and checks the query: instants, their order and span, the group names. */
    public static ReportQuery read(String from, String to, String groupBy) throws InputException {
        Instant f = instant("from", from);
        Instant t = instant("to", to);
        if (!t.isAfter(f)) {
            throw new InputException("to", to, "to: " + to + " must lie after from (" + from + ")");
        }
        if (Duration.between(f, t).compareTo(MAX_SPAN) > 0) {
            throw new InputException("to", to, "to: a report spans at most 400 days (from " + from + ")");
        }
        List<String> groups = new ArrayList<>();
        if (groupBy != null && !groupBy.isBlank()) {
            for (String g : groupBy.split(",")) {
                String name = g.strip();
                if (!GROUPS.contains(name)) {
                    throw new InputException("groupBy", groupBy, "groupBy: \"" + name + "\" is not a group; valid: "
                            + String.join(", ", GROUPS));
                }
                if (groups.contains(name)) {
                    throw new InputException("groupBy", groupBy, "groupBy: \"" + name + "\" is named twice");
                }
                groups.add(name);
            }
        }
        return new ReportQuery(f, t, List.copyOf(groups));
    }

    private static Instant instant(String field, String text) throws InputException {
        if (text == null || text.isBlank()) {
            throw new InputException(field, null, field + ": missing; an ISO-8601 UTC instant like 2026-11-01T00:00:00Z");
        }
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InputException(field, text, field + ": \"" + text + "\" is not an ISO-8601 UTC instant like "
                    + "2026-11-01T00:00:00Z");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new InputException(field, text, field + ": " + text + " lies outside " + EARLIEST + " .. " + LATEST);
        }
        return at;
    }
}
