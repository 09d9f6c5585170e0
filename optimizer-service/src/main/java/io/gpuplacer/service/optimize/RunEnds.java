package io.gpuplacer.service.optimize;

import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs that ended while the database was away: their end, kept in memory and stored once it answers again. */
final class RunEnds {

    private static final Logger LOG = LoggerFactory.getLogger(RunEnds.class);

    private final OptimizationRunRepository repository;
    private final Map<String, OptimizationRunRecord> unstored = new ConcurrentHashMap<>();

    RunEnds(OptimizationRunRepository repository) {
        this.repository = repository;
    }

    void keep(OptimizationRunRecord done, RuntimeException why) {
        unstored.put(done.id(), done);
        LOG.error("optimization {}: could not store its end ({}), will retry: {}", done.id(), done.status(),
                why.toString());
    }

    /** The end of a run kept here, if any (newer than what the database has). */
    OptimizationRunRecord find(String id) {
        return unstored.get(id);
    }

    /** Stores the kept ends, until the database fails again. */
    void storeKept() {
        for (OptimizationRunRecord done : unstored.values()) {
            try {
                repository.update(done);
                unstored.remove(done.id());
                LOG.info("optimization {}: its end ({}) is stored now", done.id(), done.status());
            } catch (RuntimeException e) {
                break; // the database is still away
            }
        }
    }
}
