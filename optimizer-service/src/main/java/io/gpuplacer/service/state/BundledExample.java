package io.gpuplacer.service.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.model.interchange.DocumentTimes;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What the service serves before the first PUT: the bundled example (its days moved to today), or nothing. */
final class BundledExample {

    private BundledExample() {
    }

    static ObjectNode emptySignals() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("zones", JsonNodeFactory.instance.objectNode());
        return doc;
    }

    static ObjectNode emptyCluster() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("zones", JsonNodeFactory.instance.arrayNode());
        doc.set("nodes", JsonNodeFactory.instance.arrayNode());
        return doc;
    }

    /** A bundled example document with every instant moved by whole days so that the day it starts is today. */
    static JsonNode document(String resource, Instant today) {
        try (InputStream in = BundledExample.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the bundled example " + resource + " is missing from the jar");
            }
            JsonNode doc = ProblemReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
            Instant first = DocumentTimes.earliest(doc);
            if (first != null) {
                DocumentTimes.shift(doc, Duration.ofDays(ChronoUnit.DAYS.between(first.truncatedTo(ChronoUnit.DAYS),
                        today)));
            }
            return doc;
        } catch (IOException | InputException e) {
            throw new IllegalStateException("cannot read the bundled example " + resource, e);
        }
    }
}
