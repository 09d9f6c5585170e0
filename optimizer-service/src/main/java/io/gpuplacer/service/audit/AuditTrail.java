package io.gpuplacer.service.audit;

import io.gpuplacer.service.text.Shortened;
import io.gpuplacer.service.persistence.AuditEventRecord;
import io.gpuplacer.service.persistence.AuditEventRepository;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The append-only audit: one row per change asked for by an authenticated caller, whatever its outcome. The
 * HTTP filter writes the row; a controller names what it changed ({@link #target}).
 */
@Singleton
public class AuditTrail {

    static final String TARGET = "gpuplacer.audit.target";
    private static final int MAX_TEXT = 200;
    private static final int MAX_DETAIL = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    /** Events kept while the database is away, at most this many. */
    static final int MAX_PENDING = 10_000;

    private final AuditEventRepository repository;
    private final java.util.concurrent.ConcurrentLinkedQueue<AuditEventRecord> pending =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Clock clock;

    public AuditTrail(AuditEventRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Names what the current request changed (a version, a run, a token), for its audit row. */
    public static void target(String target) {
        ServerRequestContext.currentRequest().ifPresent(r -> r.setAttribute(TARGET, target));
    }

    static String targetOf(HttpRequest<?> request) {
        return request.getAttribute(TARGET, String.class).orElse(null);
    }

    /**
     * Records one event. When the database does not take it (it is away), the event is kept and written, with its
     * own time, by the next retry ({@link #writePending}, every 5 s) that finds the database back: a failure is not
     * swallowed. What is kept lives in this process; the rows it keeps are of requests that committed nothing (a
     * committed change has its row in its own transaction, {@link AuditedChange}).
     */
    public void record(String principal, String requestId, String action, String target, int outcome,
                       String detail) {
        AuditEventRecord event = event(principal, requestId, action, target, outcome, detail);
        try {
            repository.save(event);
        } catch (RuntimeException e) {
            keep(event, e.getClass().getSimpleName());
        }
    }

    /**
     * Writes a change's row in the change's own transaction (the caller's: {@link AuditedChange}, an action sent to a
     * cluster): a refusal is thrown, so that the change rolls back with it.
     */
    public void recordWithChange(String principal, String requestId, String action, String target, int outcome,
                                 String detail) {
        repository.save(event(principal, requestId, action, target, outcome, detail));
    }

    /** The same, without trying now: the database is known to be away (the write will be retried). */
    public void recordLater(String principal, String requestId, String action, String target, int outcome,
                            String detail) {
        keep(event(principal, requestId, action, target, outcome, detail), "the database is away");
    }

    private AuditEventRecord event(String principal, String requestId, String action, String target, int outcome,
                                   String detail) {
        return new AuditEventRecord(null, clock.instant(), Shortened.to(principal, MAX_TEXT), requestId, Shortened.to(action, MAX_TEXT),
                Shortened.to(target, MAX_TEXT), outcome, Shortened.to(detail, MAX_DETAIL));
    }

    private void keep(AuditEventRecord event, String why) {
        if (pending.size() >= MAX_PENDING) {
            LOG.error("audit: could not record {} by {} (request {}, outcome {}): {}; {} events already wait, this "
                    + "one is lost", event.action(), event.principal(), event.requestId(), event.outcome(), why,
                    MAX_PENDING);
            return;
        }
        pending.add(event);
        LOG.warn("audit: {} by {} (request {}, outcome {}) not recorded yet ({}); retried every 5 s",
                event.action(), event.principal(), event.requestId(), event.outcome(), why);
    }

    /** Writes the events the database did not take, oldest first, until it fails again. Returns how many. */
    @io.micronaut.scheduling.annotation.Scheduled(fixedDelay = "5s", initialDelay = "5s")
    public synchronized int writePending() {
        int written = 0;
        for (AuditEventRecord event = pending.peek(); event != null; event = pending.peek()) {
            try {
                repository.save(event);
            } catch (RuntimeException e) {
                break; // still away
            }
            pending.poll();
            written++;
        }
        if (written > 0) {
            LOG.info("audit: {} event(s) kept while the database was away are recorded now", written);
        }
        return written;
    }

    /** One recorded change: who, when, which request, what, on what, with which outcome. */
    public record Entry(long id, java.time.Instant at, String principal, String requestId, String action,
                        String target, int outcome, String detail) {
        static Entry of(AuditEventRecord r) {
            return new Entry(r.id(), r.at(), r.principal(), r.requestId(), r.action(), r.target(), r.outcome(),
                    r.detail());
        }
    }

    /** The newest events before an id, newest first. */
    public List<Entry> page(long before, int limit) {
        return repository.findPage(before, limit).stream().map(Entry::of).toList();
    }
}
