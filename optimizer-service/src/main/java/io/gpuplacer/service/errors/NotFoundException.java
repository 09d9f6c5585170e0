package io.gpuplacer.service.errors;

/** An id the service does not know (404). */
public class NotFoundException extends RuntimeException {

    private final String id;

    public NotFoundException(String id, String message) {
        super(message);
        this.id = id;
    }

    public String id() {
        return id;
    }
}
