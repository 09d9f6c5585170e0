package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.constraints.WeightCatalogue;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.SolutionFactory;
import io.gpuplacer.model.interchange.DocumentTimes;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;
import io.gpuplacer.service.persistence.StateDocumentRecord;
import io.gpuplacer.service.persistence.StateDocumentRepository;
import io.gpuplacer.service.weights.WeightsService;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;

/**
 * The cluster snapshot and signals the service works on: replaced whole by PUT (validated first, stored in the
 * database, then swapped in), read by recommendations and optimization runs. Until the first PUT the bundled
 * example is served, its times moved by whole days so that its signals start today.
 */
@Context // loaded and indexed at startup, not by the first request
public class ClusterState {

    public static final String CLUSTER = "cluster";
    public static final String SIGNALS = "signals";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterState.class);

    /** The two documents, where they came from, and a counter of replacements; replaced, never changed. */
    public record Documents(JsonNode cluster, JsonNode signals, String clusterSource, String signalsSource,
                            Instant clusterUpdatedAt, Instant signalsUpdatedAt, long version) {
    }

    private final StateDocumentRepository repository;
    private final WeightsService weights;
    private final Clock clock;
    private final int horizonHours;
    private final boolean loadExample;
    private final ProblemReader reader = new ProblemReader();
    private volatile Documents documents;
    private volatile Built built;

    // What a view was built from; the documents by a counter, since comparing them would walk both trees.
    private record ViewKey(long stateVersion, long weightsVersion, Instant now) {
    }

    /** A view with what it was built from, published together. */
    private record Built(ViewKey key, OracleView view) {
    }


    public ClusterState(StateDocumentRepository repository, WeightsService weights, Clock clock,
                        @Value("${gpuplacer.horizon-hours:48}") int horizonHours,
                        @Value("${gpuplacer.load-example:true}") boolean loadExample) {
        this.repository = repository;
        this.weights = weights;
        this.clock = clock;
        this.horizonHours = horizonHours;
        this.loadExample = loadExample;
    }

    @PostConstruct
    void load() {
        Instant today = clock.instant().truncatedTo(ChronoUnit.DAYS);
        JsonNode cluster = stored(CLUSTER);
        JsonNode signals = stored(SIGNALS);
        String clusterSource = cluster != null ? "database" : loadExample ? "bundled example" : "empty";
        String signalsSource = signals != null ? "database" : loadExample ? "bundled example" : "empty";
        if (cluster == null) {
            cluster = loadExample ? example("example/cluster.json", today) : emptyCluster();
        }
        if (signals == null) {
            signals = loadExample ? example("example/signals.json", today) : JsonNodeFactory.instance.objectNode()
                    .set("zones", JsonNodeFactory.instance.objectNode());
        }
        documents = new Documents(cluster, signals, clusterSource, signalsSource, clock.instant(), clock.instant(), 0);
        LOG.info("cluster: {}, signals: {}", clusterSource, signalsSource);
        view();
    }

    public Documents documents() {
        return documents;
    }

    /** Validates and stores a new cluster snapshot; the signals stay (those of zones it lacks are ignored). */
    public synchronized Documents replaceCluster(JsonNode cluster, String actor) throws InputException {
        Documents current = documents;
        Instant hour = currentHour();
        Problem base = read(cluster, emptyQueue(hour), signalsFor(cluster, current.signals()));
        store(CLUSTER, cluster, actor);
        documents = new Documents(cluster, current.signals(), "PUT by " + actor, current.signalsSource(),
                clock.instant(), current.signalsUpdatedAt(), current.version() + 1);
        publish(base, hour);
        return documents;
    }

    /** Validates (against the current cluster's zones) and stores new signals. */
    public synchronized Documents replaceSignals(JsonNode signals, String actor) throws InputException {
        Documents current = documents;
        Instant hour = currentHour();
        Problem base = read(current.cluster(), emptyQueue(hour), signals);
        store(SIGNALS, signals, actor);
        documents = new Documents(current.cluster(), signals, current.clusterSource(), "PUT by " + actor,
                current.clusterUpdatedAt(), clock.instant(), current.version() + 1);
        publish(base, hour);
        return documents;
    }

    /** The oracle's view of documents just validated into {@code base}: the hot path need not read them again. */
    private void publish(Problem base, Instant hour) {
        WeightsService.Version w = weights.current();
        ViewKey key = new ViewKey(documents.version(), w.version(), hour);
        built = new Built(key, viewOf(base, key, w.weights()));
    }

    /**
     * The problem of a job queue on the current state: {@code jobs} is a jobs document (with its own {@code now})
     * or a bare array of jobs (then {@code now} is the current hour).
     */
    public Problem problemWith(JsonNode jobs) throws InputException {
        JsonNode queue = jobs;
        if (jobs != null && jobs.isArray()) {
            ObjectNode doc = emptyQueue(currentHour());
            doc.set("jobs", jobs);
            queue = doc;
        }
        Documents current = documents;
        return read(current.cluster(), queue, signalsFor(current.cluster(), current.signals()));
    }

    /**
     * The oracle's view of the current state, weights and hour; rebuilt when any of them changed (when only the
     * weights did, from the problem already read).
     */
    public OracleView view() {
        WeightsService.Version w = weights.current();
        Documents current = documents;
        ViewKey key = new ViewKey(current.version(), w.version(), currentHour());
        Built b = built;
        if (b != null && b.key().equals(key)) {
            return b.view();
        }
        synchronized (this) {
            // Read again under the lock: a PUT may have published a newer view meanwhile.
            w = weights.current();
            current = documents;
            key = new ViewKey(current.version(), w.version(), currentHour());
            b = built;
            if (b == null || !b.key().equals(key)) {
                boolean sameProblem = b != null && b.key().stateVersion() == key.stateVersion()
                        && b.key().now().equals(key.now());
                Problem base = sameProblem ? b.view().base() : readBase(current, key.now());
                b = new Built(key, viewOf(base, key, w.weights()));
                built = b;
            }
            return b.view();
        }
    }

    private Problem readBase(Documents docs, Instant now) {
        try {
            return read(docs.cluster(), emptyQueue(now), signalsFor(docs.cluster(), docs.signals()));
        } catch (InputException e) {
            // Stored documents were valid when they came in; only a change of the hour reaches here.
            throw new IllegalStateException("the stored state no longer reads: " + e.getMessage(), e);
        }
    }

    private static OracleView viewOf(Problem base, ViewKey key, WeightCatalogue.Weights w) {
        PlacementSolution state = SolutionFactory.build(base, w.costModel(), w.overrides());
        return new OracleView(base, new PlacementOracle(state), key.weightsVersion());
    }

    public Instant currentHour() {
        return clock.instant().truncatedTo(ChronoUnit.HOURS);
    }

    public int horizonHours() {
        return horizonHours;
    }

    private Problem read(JsonNode cluster, JsonNode jobs, JsonNode signals) throws InputException {
        return reader.read(cluster, jobs, signals);
    }

    private ObjectNode emptyQueue(Instant now) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("now", now.toString());
        doc.put("horizonHours", horizonHours);
        doc.set("jobs", JsonNodeFactory.instance.arrayNode());
        return doc;
    }

    /** The signals of the cluster's zones only: a new snapshot may drop zones that the signals still name. */
    private static JsonNode signalsFor(JsonNode cluster, JsonNode signals) {
        if (signals == null || !signals.has("zones") || !signals.get("zones").isObject()
                || cluster == null || !cluster.has("zones") || !cluster.get("zones").isArray()) {
            return signals;
        }
        java.util.Set<String> zones = new java.util.HashSet<>();
        cluster.get("zones").forEach(z -> zones.add(z.path("id").asText()));
        ObjectNode copy = signals.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = ((ObjectNode) copy.get("zones")).fields();
        while (fields.hasNext()) {
            if (!zones.contains(fields.next().getKey())) {
                fields.remove();
            }
        }
        return copy;
    }

    private void store(String kind, JsonNode body, String actor) {
        StateDocumentRecord record = new StateDocumentRecord(kind, body.toString(), actor, clock.instant());
        if (repository.existsById(kind)) {
            repository.update(record);
        } else {
            repository.save(record);
        }
    }

    private JsonNode stored(String kind) {
        return repository.findById(kind).map(r -> {
            try {
                return ProblemReader.parse(r.body(), kind);
            } catch (InputException e) {
                throw new IllegalStateException("stored " + kind + " is not JSON: " + e.getMessage(), e);
            }
        }).orElse(null);
    }

    private static ObjectNode emptyCluster() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("zones", JsonNodeFactory.instance.arrayNode());
        doc.set("nodes", JsonNodeFactory.instance.arrayNode());
        return doc;
    }

    /** A bundled example document with every instant moved by whole days so that the day it starts is today. */
    static JsonNode example(String resource, Instant today) {
        try (InputStream in = ClusterState.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled example " + resource + " is missing from the jar");
            }
            JsonNode doc = ProblemReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
            Instant first = DocumentTimes.earliest(doc);
            if (first != null) {
                DocumentTimes.shift(doc, Duration.ofDays(ChronoUnit.DAYS.between(first.truncatedTo(ChronoUnit.DAYS),
                        today)));
            }
            return doc;
        } catch (IOException | InputException e) {
            throw new IllegalStateException("cannot read the bundled example " + resource, e);
        }
    }
}
