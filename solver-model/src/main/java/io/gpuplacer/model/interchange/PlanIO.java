package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;

/** Writes and reads plan documents; files are written whole or not at all ({@link AtomicFiles}). */
public final class PlanIO {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private PlanIO() {
    }

    public static String toJson(Plan plan) {
        try {
            return MAPPER.writeValueAsString(plan) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write plan", e);
        }
    }

    /** Writes atomically: a reader never sees half a plan, and a failure leaves any old file as it was. */
    public static void write(Plan plan, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(plan));
    }

    /** Reads a plan to check it; a plan of the wrong shape is an {@link InputException} naming the field. */
    public static Plan read(Path file) throws InputException {
        return PlanReader.read(ProblemReader.parse(file), file.toString());
    }
}
