package io.gpuplacer.service.audit;

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

    private final AuditEventRepository repository;
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

    /** Records one event; a failure to record is logged (the change itself is already answered). */
    public void record(String principal, String requestId, String action, String target, int outcome,
                       String detail) {
        try {
            repository.save(new AuditEventRecord(null, clock.instant(), cut(principal, MAX_TEXT), requestId,
                    cut(action, MAX_TEXT), cut(target, MAX_TEXT), outcome, cut(detail, MAX_DETAIL)));
        } catch (RuntimeException e) {
            LOG.error("audit: could not record {} by {} (request {}, outcome {}): {}", action, principal, requestId,
                    outcome, e.getClass().getSimpleName());
        }
    }

    /** The newest events before an id, newest first. */
    public List<AuditEventRecord> page(long before, int limit) {
        return repository.findPage(before, limit);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
