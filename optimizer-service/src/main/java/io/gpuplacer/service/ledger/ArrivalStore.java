package io.gpuplacer.service.ledger;

import io.gpuplacer.service.persistence.JobArrivalRecord;
import io.gpuplacer.service.persistence.JobArrivalRepository;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * Writes job arrivals (V8 job_arrival): one row per job first seen pending, with its window and, as JSON, where a
 * first fit would have put it and the least-drawing place per zone. What the savings read. The service's recorder
 * ({@link ArrivalRecorder}) and the ledger benchmark's prepared month both write through it.
 */
@Singleton
public class ArrivalStore {

    private final JobArrivalRepository arrivals;

    public ArrivalStore(JobArrivalRepository arrivals) {
        this.arrivals = arrivals;
    }

    /** Whether the job arrived after that instant already (a job is one arrival for a while). */
    boolean arrivedSince(String job, Instant since) {
        return arrivals.existsByJobAndArrivedAtGreaterThan(job, since);
    }

    /**
     * One arrival; {@code stateVersion} is the cluster version it arrived to (0: none stored); {@code demand} what
     * it asks for (capacity planning's pending GPUs).
     */
    public void record(String job, String team, String source, Instant arrivedAt, Instant earliestStart,
                       Instant latestStart, int tasks, long stateVersion, String firstFit, String bound,
                       Demand demand) {
        arrivals.save(new JobArrivalRecord(null, job, team, source, arrivedAt, earliestStart, latestStart, tasks,
                stateVersion, firstFit, bound, demand.gpuShare(), demand.gpuModel(), demand.zone()));
    }

    /** GPU share of all its tasks, and the model and zone of its first fit (null: none, any). */
    public record Demand(double gpuShare, String gpuModel, String zone) {
    }
}
