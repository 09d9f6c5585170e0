package io.gpuplacer.service.audit;

import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.service.security.AuthorizationErrors;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;

import jakarta.inject.Named;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id ({@code X-Request-Id}: the caller's when it is sane, else a new one; echoed in the
 * answer) and records every change asked for by an authenticated caller in the audit, with its outcome. The
 * scheduler's hot path (recommendations) changes nothing and is not recorded.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AuditFilter implements Ordered {

    public static final String REQUEST_ID = "X-Request-Id";
    public static final String ID_ATTRIBUTE = "gpuplacer.request-id";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.PUT, HttpMethod.POST, HttpMethod.DELETE,
            HttpMethod.PATCH);
    private static final Set<String> NOT_CHANGES = Set.of("/v1/recommendations", "/v1/k8s/extender/filter",
            "/v1/k8s/extender/prioritize", "/v1/k8s/webhook/gate"); // the webhook's gating is audited as an action

    private final AuditTrail trail;
    private final Scheduler workers;

    public AuditFilter(AuditTrail trail, @Named(TaskExecutors.BLOCKING) ExecutorService workers) {
        this.trail = trail;
        this.workers = Schedulers.fromExecutorService(workers);
    }

    @RequestFilter
    public void assignId(HttpRequest<?> request) {
        String given = request.getHeaders().get(REQUEST_ID);
        request.setAttribute(ID_ATTRIBUTE, given != null && SANE_ID.matcher(given).matches() ? given : newId());
    }

    /** A random id (not a secret: ThreadLocalRandom, not the shared SecureRandom that every request would queue on). */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /**
     * Runs on the event loop; only a change hops to a worker thread, to write its row before it is answered (the
     * hot path's answers are not held up by the audit).
     */
    @ResponseFilter
    public Publisher<MutableHttpResponse<?>> record(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = requestId(request);
        response.header(REQUEST_ID, id);
        String principal = principal(request);
        if (principal == null || !isChange(request)) {
            return Mono.just(response);
        }
        if (request.getAttribute(AuditedChange.RECORDED, Integer.class).filter(o -> o == response.code())
                .isPresent()) {
            return Mono.just(response); // its row was committed with the change, with this outcome
        }
        String action = action(request);
        String detail = response.code() >= 400 ? response.getBody(ApiError.class).map(ApiError::error).orElse(null)
                : null;
        if (response.code() == 503) {
            // The database is away (nothing was changed): trying its row now would hold the answer for another
            // connection timeout. It is kept and written once the database is back.
            trail.recordLater(principal, id, action, AuditTrail.targetOf(request), response.code(), detail);
            return Mono.just(response);
        }
        return Mono.<MutableHttpResponse<?>>fromCallable(() -> {
            trail.record(principal, id, action, AuditTrail.targetOf(request), response.code(), detail);
            return response;
        }).subscribeOn(workers);
    }

    /** The request's id ({@link #assignId}). */
    static String requestId(HttpRequest<?> request) {
        return request.getAttribute(ID_ATTRIBUTE, String.class).orElse("none");
    }

    /** Who asked (also a caller security turned away), null for an anonymous request. */
    static String principal(HttpRequest<?> request) {
        return request.getAttribute(SecurityFilter.AUTHENTICATION, Authentication.class)
                .or(() -> request.getAttribute(AuthorizationErrors.FORBIDDEN_PRINCIPAL, Authentication.class))
                .map(Authentication::getName).orElse(null);
    }

    /** Whether the request asks for a change the audit records. */
    static boolean isChange(HttpRequest<?> request) {
        return CHANGES.contains(request.getMethod()) && !NOT_CHANGES.contains(request.getPath());
    }

    /** The method and the route's template ({@code DELETE /v1/optimizations/{id}}), the path when none matched. */
    static String action(HttpRequest<?> request) {
        String route = RouteAttributes.getRouteMatch(request).filter(UriRouteMatch.class::isInstance)
                .map(m -> ((UriRouteMatch<?, ?>) m).getRouteInfo().getUriMatchTemplate().toString())
                .orElse(request.getPath());
        return request.getMethodName() + " " + route;
    }

    /**
     * Before security, so that it sees the answers security gives itself (401, 403); the principal security
     * finds is on the request by the time the answer comes back.
     */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }
}
