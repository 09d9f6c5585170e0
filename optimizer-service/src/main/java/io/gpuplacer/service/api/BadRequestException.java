package io.gpuplacer.service.api;

/** A request the service refuses (400): the message says what would be valid. */
public class BadRequestException extends RuntimeException {

    private final String field;
    private final String value;

    public BadRequestException(String field, String value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }
}
