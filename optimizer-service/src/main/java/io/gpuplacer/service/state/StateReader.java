package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.problem.Problem;

import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The state's documents read into problems: the cluster priced by the signals of its zones (a cluster may drop zones
 * the signals still name), the running work aged from when the cluster was observed, and, with telemetry, the
 * cluster as its GPUs reported it. Documents are read as given first, so that an error names what the caller sent.
 */
final class StateReader {

    private final ProblemReader reader = new ProblemReader();
    private final int horizonHours;
    /** What telemetry lays over the cluster for the model (measured utilisation, unhealthy GPUs); null: nothing. */
    private volatile UnaryOperator<JsonNode> overlay;

    StateReader(int horizonHours) {
        this.horizonHours = horizonHours;
    }

    void overlay(UnaryOperator<JsonNode> overlay) {
        this.overlay = overlay;
    }

    /** The cluster with no queue at {@code now}, priced by the signals of its zones. */
    Problem base(JsonNode cluster, JsonNode signals, Instant now, Instant observed) throws InputException {
        return withQueue(cluster, emptyQueue(now), signals, observed);
    }

    /** The cluster with a queue, priced by the signals of its zones. */
    Problem withQueue(JsonNode cluster, JsonNode queue, JsonNode signals, Instant observed) throws InputException {
        return RunningAge.asOf(read(cluster, queue, SignalsDocuments.forCluster(cluster, signals)), observed);
    }

    /** The cluster with no queue, the signals as given: every zone they name must be one of the cluster's. */
    Problem withSignalsAsGiven(JsonNode cluster, JsonNode signals, Instant now, Instant observed)
            throws InputException {
        return RunningAge.asOf(read(cluster, emptyQueue(now), signals), observed);
    }

    /** A jobs document of no jobs, slot 0 at {@code now}. */
    /** The documents' problem at {@code now}; they were valid when they came in, so only an hour's turn fails. */
    Problem base(ClusterState.Documents docs, Instant now) {
        try {
            return base(docs.cluster(), docs.signals(), now, docs.clusterUpdatedAt());
        } catch (InputException e) {
            throw new IllegalStateException("the stored state no longer reads: " + e.getMessage(), e);
        }
    }

    /**
     * The problem of a job queue on these documents: {@code jobs} is a jobs document (with its own {@code now}) or a
     * bare array of jobs (then {@code now} is {@code hour}).
     */
    Problem withJobs(ClusterState.Documents at, Instant hour, JsonNode jobs) throws InputException {
        JsonNode queue = jobs;
        if (jobs != null && jobs.isArray()) {
            ObjectNode doc = emptyQueue(hour);
            doc.set("jobs", jobs);
            queue = doc;
        }
        return withQueue(at.cluster(), queue, at.signals(), at.clusterUpdatedAt());
    }

    ObjectNode emptyQueue(Instant now) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("now", now.toString());
        doc.put("horizonHours", horizonHours);
        doc.set("jobs", JsonNodeFactory.instance.arrayNode());
        return doc;
    }

    private Problem read(JsonNode cluster, JsonNode jobs, JsonNode signals) throws InputException {
        Problem asGiven = reader.read(cluster, jobs, signals);
        UnaryOperator<JsonNode> o = overlay;
        return o == null ? asGiven : reader.read(o.apply(cluster), jobs, signals);
    }
}
