package io.gpuplacer.service.weights;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.service.persistence.ChangeWriter;
import io.gpuplacer.service.state.WeightsInForce;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.persistence.Conflicts;
import io.gpuplacer.service.persistence.WeightsVersionRecord;
import io.gpuplacer.service.persistence.WeightsVersionRepository;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's weights: versions stored in the database (never changed, so the history is the audit trail),
 * the latest kept in memory for the hot path. A version names the knobs it sets; every other knob has its
 * catalogue default. Version 1 is the catalogue's defaults, written on first start.
 */
@Singleton
public class WeightsService implements WeightsInForce {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest reason the history keeps. */
    public static final int MAX_REASON = 2000;

    /** One version: the knobs it sets, the complete weights they make, and who set them, why and when. */
    public record Version(long version, Map<String, Double> set, WeightCatalogue.Weights weights, String author,
                          String reason, Instant createdAt) implements WeightsInForce.InForce {
    }

    private final WeightsVersionRepository repository;
    private final Clock clock;
    private final ChangeWriter audited;
    private volatile Version current;

    /** Without the audit (tests of the weights alone). */
    public WeightsService(WeightsVersionRepository repository, Clock clock) {
        this(repository, clock, ChangeWriter.DIRECT);
    }

    @jakarta.inject.Inject
    public WeightsService(WeightsVersionRepository repository, Clock clock, ChangeWriter audited) {
        this.repository = repository;
        this.clock = clock;
        this.audited = audited;
    }

    @PostConstruct
    synchronized void load() {
        current = repository.findLatest().map(WeightsService::toVersion).orElseGet(() -> toVersion(repository.save(
                new WeightsVersionRecord(1L, "{}", "system", "catalogue defaults", clock.instant()))));
    }

    @Override
    public WeightsInForce.InForce inForce() {
        return current;
    }

    public Version current() {
        return current;
    }

    /**
     * A request's {@code weights}: an object of knob id to number, each checked against the catalogue (knobs not
     * named take their defaults); errors name the field as {@code weights.<knob>}.
     */
    public static WeightCatalogue.Weights parse(JsonNode knobs) throws InputException {
        if (knobs == null || !knobs.isObject()) {
            throw new InputException("weights", knobs == null ? null : knobs.toString(),
                    "weights: must be a JSON object of knob id to number, e.g. {\"carbonPriceUsdPerTonne\": 500}");
        }
        try {
            return WeightCatalogue.parse(knobs);
        } catch (InputException e) {
            throw new InputException("weights." + e.field(), e.value(), "weights." + e.getMessage());
        }
    }

    /**
     * Stores a new version setting exactly these knobs (the others return to their defaults), after checking
     * each against the catalogue; nothing is stored when one is wrong.
     */
    public Version update(JsonNode knobs, String reason, String author) throws InputException {
        try {
            return update(knobs, reason, author, null);
        } catch (StaleVersionException e) {
            throw new IllegalStateException(e); // no version was expected
        }
    }

    /**
     * The same, only while {@code expected} (when not null) is the newest version in the database: optimistic
     * concurrency for a caller that read the weights and changes them.
     */
    public synchronized Version update(JsonNode knobs, String reason, String author, Long expected)
            throws InputException, StaleVersionException {
        WeightCatalogue.Weights weights = parse(knobs);
        if (reason == null || reason.isBlank()) {
            throw new InputException("reason", null, "reason: say why the weights change (kept in the history)");
        }
        if (reason.strip().length() > MAX_REASON) { // the history's column; longer would fail in the database
            throw new InputException("reason", Shortened.to(reason, 43), "reason: " + reason.strip().length()
                    + " characters; at most " + MAX_REASON);
        }
        Map<String, Double> set = new TreeMap<>();
        knobs.fields().forEachRemaining(f -> set.put(f.getKey(), f.getValue().asDouble()));
        WeightsVersionRecord record = null;
        // Replicas number versions from the database's newest: when another took the number first, take the next.
        // Each lost race means another version was stored: with many writers at once, more attempts are needed.
        for (int attempt = 1; record == null; attempt++) {
            long next = repository.findLatest().map(WeightsVersionRecord::version).orElse(0L) + 1;
            if (expected != null && expected != next - 1) {
                throw new StaleVersionException(expected, next - 1);
            }
            try {
                WeightsVersionRecord version = new WeightsVersionRecord(next, write(set), author, reason.strip(),
                        clock.instant());
                record = audited.write(() -> repository.save(version), r -> "weights version " + r.version());
            } catch (DataAccessException e) {
                if (attempt == 50 || !(Conflicts.lostRace(e) || repository.findById(next).isPresent())) {
                    throw e;
                }
                pause(attempt);
            }
        }
        current = new Version(record.version(), Map.copyOf(set), weights, author, record.reason(),
                record.createdAt());
        return current;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 2L + Math.min(attempt, 10) * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Picks up a version stored by another replica: one query every {@code gpuplacer.sync-seconds}; while the
     * database is away the weights in memory stay in force.
     */
    @Scheduled(fixedDelay = "${gpuplacer.sync-seconds:2}s", initialDelay = "${gpuplacer.sync-seconds:2}s")
    synchronized void syncFromDatabase() {
        try {
            repository.findLatest().filter(r -> r.version() > current.version())
                    .ifPresent(r -> current = toVersion(r));
        } catch (RuntimeException e) {
            // the database is away; the health check reports it
        }
    }

    /** Every version, oldest first. */
    public List<Version> history() {
        return repository.findHistory().stream().map(WeightsService::toVersion).toList();
    }

    private static Version toVersion(WeightsVersionRecord record) {
        try {
            JsonNode knobs = JSON.readTree(record.weights());
            Map<String, Double> set = new LinkedHashMap<>();
            knobs.fields().forEachRemaining(f -> set.put(f.getKey(), f.getValue().asDouble()));
            return new Version(record.version(), Map.copyOf(set), WeightCatalogue.parse(knobs), record.author(),
                    record.reason(), record.createdAt());
        } catch (JsonProcessingException | InputException e) {
            throw new IllegalStateException("weights version " + record.version() + " in the database does not "
                    + "read: " + e.getMessage(), e);
        }
    }

    private static String write(Map<String, Double> set) {
        try {
            return JSON.writeValueAsString(set);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
