package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.NotFoundException;
import io.gpuplacer.service.errors.ApiError;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.optimize.TooManyRunsException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.gpuplacer.service.errors.OutOfOrderSnapshotException;
import io.gpuplacer.service.audit.AuditFilter;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the service's exceptions to {@link ApiError} bodies: bad input ({@link InputException}) 400, unknown ids
 * 404, too many runs 429 with {@code Retry-After}, the database away or an audit row it refused 503 with
 * {@code Retry-After}; anything else a 500 that names the request id and nothing of the failure (no SQL, no stack),
 * which is logged instead.
 */
public final class ErrorHandlers {

    private ErrorHandlers() {
    }

    @Produces
    @Singleton
    @Requires(classes = {InputException.class, ExceptionHandler.class})
    public static class InputHandler implements ExceptionHandler<InputException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, InputException e) {
            return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST)
                    .body(new ApiError(e.getMessage(), e.field(), e.value()));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {NotFoundException.class, ExceptionHandler.class})
    public static class NotFoundHandler implements ExceptionHandler<NotFoundException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, NotFoundException e) {
            return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND).body(new ApiError(e.getMessage(), "id", e.id()));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {OutOfOrderSnapshotException.class, ExceptionHandler.class})
    public static class OutOfOrderHandler implements ExceptionHandler<OutOfOrderSnapshotException,
            HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, OutOfOrderSnapshotException e) {
            return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(new ApiError("cluster: " + e.getMessage(),
                    "observedAt", e.observedAt().toString()));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class ConflictHandler implements ExceptionHandler<ConflictException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, ConflictException e) {
            return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(e.error());
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {TooManyRunsException.class, ExceptionHandler.class})
    public static class TooManyRunsHandler implements ExceptionHandler<TooManyRunsException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, TooManyRunsException e) {
            return HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
                    .body(new ApiError(e.getMessage(), null, null));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class StaleVersionHandler implements ExceptionHandler<
            io.gpuplacer.service.weights.StaleVersionException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, io.gpuplacer.service.weights.StaleVersionException e) {
            return HttpResponse.<ApiError>status(HttpStatus.PRECONDITION_FAILED)
                    .header(HttpHeaders.ETAG, "\"" + e.current() + "\"")
                    .body(new ApiError(e.getMessage(), "If-Match", "\"" + e.expected() + "\""));
        }
    }

    /** A body sent with Content-Encoding gzip (or deflate) that does not decompress: Netty's decoder gave up. */
    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class BadCompressionHandler implements ExceptionHandler<
            io.netty.handler.codec.compression.DecompressionException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request,
                                             io.netty.handler.codec.compression.DecompressionException e) {
            String encoding = request.getHeaders().get(HttpHeaders.CONTENT_ENCODING);
            return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(new ApiError("body: does not decompress "
                    + "as its Content-Encoding says (" + e.getMessage() + ")", "Content-Encoding", encoding));
        }
    }

    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class UnexpectedHandler implements ExceptionHandler<RuntimeException, HttpResponse<ApiError>> {
        private static final Logger LOG = LoggerFactory.getLogger(UnexpectedHandler.class);

        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, RuntimeException e) {
            String id = request.getHeaders().get(AuditFilter.REQUEST_ID);
            String requestId = (String) request.getAttribute(AuditFilter.ID_ATTRIBUTE).orElse(id);
            if (e instanceof io.gpuplacer.service.audit.AuditUnavailableException) {
                LOG.warn("{} {} (request {}): {}; the change was not made", request.getMethodName(), request.getPath(),
                        requestId, e.getMessage());
                return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                        .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseFaults.RETRY_AFTER_SECONDS))
                        .body(new ApiError("the audit could not record this change, so it was not made; try again "
                                + "in " + DatabaseFaults.RETRY_AFTER_SECONDS + " s", null, null));
            }
            if (DatabaseFaults.databaseAway(e)) {
                LOG.warn("{} {} (request {}): the database is away: {}", request.getMethodName(), request.getPath(),
                        requestId, e.getClass().getSimpleName());
                return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                        .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseFaults.RETRY_AFTER_SECONDS))
                        .body(new ApiError("the database is not reachable: nothing was changed; recommendations "
                                + "still answer from memory; try again in " + DatabaseFaults.RETRY_AFTER_SECONDS
                                + " s", null, null));
            }
            LOG.error("{} {} (request {}) failed", request.getMethodName(), request.getPath(), requestId, e);
            return HttpResponse.<ApiError>status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .body(new ApiError("internal error (request " + requestId + "); the service's log has the "
                            + "details", null, null));
        }
    }
}
