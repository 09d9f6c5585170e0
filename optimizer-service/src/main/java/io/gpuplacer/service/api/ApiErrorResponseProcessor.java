package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Errors that Micronaut raises itself (unknown path, wrong content type, a query value of the wrong type, body too
 * large) get the same body as the service's own: {@code {"error", "field", "value"}}.
 */
@Singleton
@Primary
public class ApiErrorResponseProcessor implements ErrorResponseProcessor<ApiError> {

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        String message;
        String field = null;
        if (response.status() == HttpStatus.NOT_FOUND && !context.hasErrors()) {
            message = "no such endpoint: " + context.getRequest().getMethodName() + " " + context.getRequest()
                    .getPath() + "; see /openapi.yml";
        } else if (context.hasErrors()) {
            Error first = context.getErrors().get(0);
            message = first.getMessage();
            field = first.getPath().map(p -> p.startsWith("/") ? p.substring(1) : p).orElse(null);
        } else {
            message = response.reason();
        }
        if (response.status() == HttpStatus.NOT_FOUND && message.equals("Page Not Found")) {
            message = "no such endpoint: " + context.getRequest().getMethodName() + " " + context.getRequest()
                    .getPath() + "; see /openapi.yml";
        }
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(new ApiError(message, field, null));
    }
}
