package io.gpuplacer.service.api;

/** Descriptions of the error responses, shared by the controllers' OpenAPI annotations. */
final class ErrorResponses {

    static final String BAD_INPUT = "bad input: the error names the field and the value";
    static final String NOT_FOUND = "no such id";
    static final String TOO_LARGE = "the body is larger than micronaut.server.max-request-size";
    static final String BUSY = "more runs solving or waiting than gpuplacer.max-active-runs; Retry-After says when "
            + "to try again";

    static final String UNAUTHORIZED = "no valid credentials: send 'Authorization: Bearer <token>' (WWW-Authenticate "
            + "says so)";
    static final String FORBIDDEN = "the token's role may not call this; see the roles table in docs/service.md";

    private ErrorResponses() {
    }
}
