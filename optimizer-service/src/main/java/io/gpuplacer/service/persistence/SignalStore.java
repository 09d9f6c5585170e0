package io.gpuplacer.service.persistence;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The fetches of the signal sources and the points each brought: a fetch and its points are written together. */
@Singleton
public class SignalStore {

    private final SignalFetchRepository fetches;
    private final SignalPointRepository points;

    public SignalStore(SignalFetchRepository fetches, SignalPointRepository points) {
        this.fetches = fetches;
        this.points = points;
    }

    /** Stores a fetch and its points (their fetch id is set here) in one transaction. */
    @Transactional
    public SignalFetchRecord record(SignalFetchRecord fetch, List<SignalPointRecord> brought) {
        SignalFetchRecord saved = fetches.save(fetch);
        if (!brought.isEmpty()) {
            points.saveAll(brought.stream().map(p -> new SignalPointRecord(null, saved.id(), p.startsAt(), p.reading(),
                    p.estimated(), p.emissionFactorType(), p.estimationMethod())).toList());
        }
        return saved;
    }

    public Optional<SignalFetchRecord> latest(String zone, String signal, String provider) {
        return fetches.findLatest(zone, signal, provider);
    }

    public Optional<SignalFetchRecord> latestSuccess(String zone, String signal, String provider) {
        return fetches.findLatestSuccess(zone, signal, provider);
    }

    public List<SignalPointRecord> pointsOf(long fetchId) {
        return points.findByFetch(fetchId);
    }

    public long newestId() {
        return fetches.findNewestId();
    }

    /** Retention: fetches (and their points) retrieved before the cut. */
    @Transactional
    public int deleteOlderThan(Instant cut) {
        points.deleteOlderThan(cut);
        return fetches.deleteOlderThan(cut);
    }
}
