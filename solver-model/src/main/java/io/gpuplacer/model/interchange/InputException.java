package io.gpuplacer.model.interchange;

/**
 * Bad input: the message names the document, the field path and the value, and says what would be valid,
 * e.g. {@code jobs.json: jobs[3].gpu.count: -3 must be >= 1}.
 */
public class InputException extends Exception {

    private final String field;
    private final String value;

    public InputException(String field, String value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    /** The field path, e.g. {@code jobs[3].gpu.count}. */
    public String field() {
        return field;
    }

    /** The offending value as written, or null when the field is missing. */
    public String value() {
        return value;
    }

    /** The same error with the document name in front of the message. */
    public InputException inDocument(String document) {
        return new InputException(field, value, document + ": " + getMessage());
    }
}
