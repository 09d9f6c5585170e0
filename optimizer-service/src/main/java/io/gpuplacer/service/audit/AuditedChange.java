package io.gpuplacer.service.audit;

import io.gpuplacer.service.persistence.ChangeWriter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;
import io.micronaut.transaction.support.TransactionSynchronization;
import io.micronaut.web.router.RouteAttributes;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes a change asked for over HTTP in one transaction with its audit row: a change that commits has its row, and
 * a row that cannot be written takes the change back with it ({@link AuditUnavailableException}, answered 503).
 * Written after the commit, as before, a crash between the two lost the row.
 * <p>
 * The row carries the answer the route gives on success (its {@code @Status}, else 200); {@link AuditFilter}
 * writes another row only when the answer turns out different (a failure after the commit) and, as before, for the
 * requests that committed nothing here (refusals, bad input, a bind whose change is in the API server). Outside an
 * audited request (the CLI, a replica's own work) the change runs in its transaction without a row.
 */
@Singleton
public class AuditedChange implements ChangeWriter {

    /** On the request once its row is committed: the outcome the row carries. */
    static final String RECORDED = "gpuplacer.audit.recorded";

    private final TransactionOperations<Connection> transactions;
    private final AuditTrail trail;

    public AuditedChange(TransactionOperations<Connection> transactions, AuditTrail trail) {
        this.transactions = transactions;
        this.trail = trail;
    }

    /** Writes the current request's row (when it is an audited change) in the change's transaction. */
    @Override
    public <R> R write(Supplier<R> change, Function<? super R, String> target) {
        return transactions.executeWrite(status -> {
            R result = change.get();
            ServerRequestContext.currentRequest().ifPresent(request -> record(request, target.apply(result), status));
            return result;
        });
    }

    /** A change that may refuse its input (a checked exception). */
    @FunctionalInterface
    public interface Change<R, E extends Exception> {
        R make() throws E;
    }

    /**
     * A change made outside a request (the command line) by a named actor, in one transaction with its row (outcome
     * 0: made). What {@code change} throws comes out as it is, and nothing is written.
     */
    public <R, E extends Exception> R writeAs(String principal, String requestId, String action, Change<R, E> change,
                                              Function<? super R, String> target) throws E {
        try {
            return transactions.executeWrite(status -> {
                R result;
                try {
                    result = change.make();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new Refused(e);
                }
                trail.recordWithChange(principal, requestId, action, target.apply(result), 0, null);
                return result;
            });
        } catch (Refused refused) {
            @SuppressWarnings("unchecked")
            E e = (E) refused.getCause();
            throw e;
        }
    }

    /** Carries a checked refusal out of the transaction's callback (it rolls the transaction back). */
    private static final class Refused extends RuntimeException {
        Refused(Exception cause) {
            super(cause);
        }
    }

    private void record(HttpRequest<?> request, String target, TransactionStatus<?> status) {
        request.setAttribute(AuditTrail.TARGET, target);
        String principal = AuditFilter.principal(request);
        if (principal == null || !AuditFilter.isChange(request) || request.getAttribute(RECORDED).isPresent()) {
            return;
        }
        int outcome = successStatus(request);
        try {
            trail.recordWithChange(principal, AuditFilter.requestId(request), AuditFilter.action(request), target,
                    outcome, null);
        } catch (RuntimeException e) {
            throw new AuditUnavailableException(e);
        }
        status.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                request.setAttribute(RECORDED, outcome);
            }
        });
    }

    /** The status the route answers on success: its {@code @Status}, else 200. */
    static int successStatus(HttpRequest<?> request) {
        return RouteAttributes.getRouteInfo(request).map(route -> route.findStatus(HttpStatus.OK).getCode())
                .orElse(HttpStatus.OK.getCode());
    }
}
