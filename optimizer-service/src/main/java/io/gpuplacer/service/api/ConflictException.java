package io.gpuplacer.service.api;

import io.gpuplacer.service.errors.ApiError;
/** A request the state in force does not allow now (answered 409 with its {@link ApiError}). */
public class ConflictException extends RuntimeException {

    private final transient ApiError error;

    public ConflictException(ApiError error) {
        super(error.error());
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
