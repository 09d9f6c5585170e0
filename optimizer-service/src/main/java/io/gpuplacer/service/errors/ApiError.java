package io.gpuplacer.service.errors;

/**
 * The body of every error response: what is wrong, and for bad input the field path and the value as sent
 * (null when the field is missing or the body is not JSON).
 */
public record ApiError(String error, String field, String value) {
}
