package io.gpuplacer.service.security;

import io.gpuplacer.service.errors.ApiError;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * 401 (no valid credentials) and 403 (a role that may not) in the service's error shape, saying what to send or
 * which role is needed, instead of Micronaut's bare status.
 */
@Singleton
@Produces
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationErrors implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {

    /** The request attribute naming who was refused (security does not keep it on a refused request). */
    public static final String FORBIDDEN_PRINCIPAL = "gpuplacer.forbidden-principal";

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException e) {
        String call = request.getMethodName() + " " + request.getPath();
        if (e.isForbidden() && e.getAuthentication() != null) {
            request.setAttribute(FORBIDDEN_PRINCIPAL, e.getAuthentication()); // the audit records refusals too
            return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(new ApiError("forbidden: \"" + e.getAuthentication().getName() + "\" (roles "
                            + String.join(", ", e.getAuthentication().getRoles()) + ") may not call " + call
                            + "; see the roles table in docs/service.md", null, null));
        }
        boolean sent = request.getHeaders().getAuthorization().isPresent();
        String message = sent
                ? "unauthorized: the bearer token is not valid (unknown, revoked or expired) for " + call
                : "unauthorized: " + call + " needs 'Authorization: Bearer <token>' (the first admin token is in "
                        + "admin.token in the service's data folder; see docs/service.md)";
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(new ApiError(message, sent ? "Authorization" : null, null));
    }
}
