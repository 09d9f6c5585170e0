package io.gpuplacer.service.security;

import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.service.config.ServiceSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request rate per principal (token name or JWT subject): {@code gpuplacer.rate-limit-per-second} on average,
 * {@code gpuplacer.rate-limit-burst} at once; one more is a 429 with {@code Retry-After}. Anonymous requests are
 * refused by security before they cost anything, so only authenticated callers are counted.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RateLimitFilter implements Ordered {

    private final int perSecond;
    private final int burst;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimitFilter(ServiceSettings settings) {
        this.perSecond = settings.rateLimitPerSecond();
        this.burst = settings.rateLimitBurst();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> limit(HttpRequest<?> request) {
        if (perSecond == 0) {
            return null;
        }
        Authentication who = request.getAttribute(SecurityFilter.AUTHENTICATION, Authentication.class).orElse(null);
        if (who == null) {
            return null;
        }
        long now = System.nanoTime();
        long wait = buckets.computeIfAbsent(who.getName(), n -> new TokenBucket(perSecond, burst, now)).take(now);
        if (wait == 0) {
            return null;
        }
        long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        return HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(new ApiError("too many requests from \"" + who.getName() + "\": at most " + perSecond
                        + " per second on average and " + burst + " at once (gpuplacer.rate-limit-per-second, "
                        + "gpuplacer.rate-limit-burst); try again in " + seconds + " s", null, null));
    }

    /** After security, which puts the principal on the request. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
