package io.gpuplacer.service.api;

import io.gpuplacer.service.text.Shortened;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;

/** Request bodies are read as text and parsed here, so bad JSON gets the same error shape as a bad field. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The body's bytes as text, strictly UTF-8: a byte sequence that is not UTF-8 is a 400 naming the body and the
     * offset (decoding leniently would put U+FFFD in place of what was sent and go on).
     */
    static String utf8(byte[] body, String document) throws InputException {
        if (body == null) {
            return null;
        }
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputException(document, null, document + ": the body is not UTF-8 (bad byte sequence at "
                    + "byte " + in.position() + ")");
        }
    }

    /**
     * The body as a JSON object; an empty body, bad JSON or another JSON type is a 400 whose field is the document
     * itself (there is no field inside it to name yet).
     */
    static JsonNode object(String body, String document) throws InputException {
        if (body == null || body.isBlank()) {
            throw new InputException(document, null, document + ": the request body is empty; expected a JSON object");
        }
        JsonNode json;
        try {
            json = ProblemReader.parse(body, document);
        } catch (InputException e) {
            throw new InputException(document, e.value(), e.getMessage());
        }
        if (!json.isObject()) {
            throw new InputException(document, Shortened.to(json.toString(), 83), document + ": must be a JSON object");
        }
        return json;
    }
}
