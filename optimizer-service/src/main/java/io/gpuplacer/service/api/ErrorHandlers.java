package io.gpuplacer.service.api;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.optimize.TooManyRunsException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Maps the service's exceptions to {@link ApiError} bodies: bad input ({@link InputException}) 400, unknown ids
 * 404, too many runs 429 with {@code Retry-After}.
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
    @Requires(classes = {TooManyRunsException.class, ExceptionHandler.class})
    public static class TooManyRunsHandler implements ExceptionHandler<TooManyRunsException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, TooManyRunsException e) {
            return HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
                    .body(new ApiError(e.getMessage(), null, null));
        }
    }
}
