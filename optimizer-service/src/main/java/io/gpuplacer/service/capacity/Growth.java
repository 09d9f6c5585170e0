package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.JsonField;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What teams announce they will need on top of the trend: {@code [{"team", "gpuModel", "gpus", "from"}]}, GPUs of a
 * model from an instant on (at their peak).
 */
public record Growth(List<Announcement> announcements) {

    public static final Growth NONE = new Growth(List.of());

    public record Announcement(String team, String gpuModel, double gpus, Instant from) {
    }

    public static Growth read(JsonNode doc, String name) throws InputException {
        if (doc == null || !doc.isArray()) {
            throw new InputException("", doc == null ? null : doc.getNodeType().name(), name + ": must be a JSON "
                    + "array of {\"team\", \"gpuModel\", \"gpus\", \"from\"}");
        }
        List<Announcement> out = new ArrayList<>();
        try {
            for (int i = 0; i < doc.size(); i++) {
                JsonField a = new JsonField(doc.get(i), "[" + i + "]");
                out.add(new Announcement(a.string("team"), a.string("gpuModel"), a.number("gpus", 0, 1e6),
                        a.instant("from")));
            }
        } catch (InputException e) {
            throw e.inDocument(name);
        }
        return new Growth(List.copyOf(out));
    }

    /** The GPUs of the model announced from that instant or before. */
    public double at(String gpuModel, Instant at) {
        return announcements.stream().filter(a -> a.gpuModel().equals(gpuModel) && !a.from().isAfter(at))
                .mapToDouble(Announcement::gpus).sum();
    }
}
