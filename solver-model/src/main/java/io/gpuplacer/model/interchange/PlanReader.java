package io.gpuplacer.model.interchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a plan document (section 4) for checking: the parts a checker needs (placements, unplaced, moves, preemptions,
 * totals), each field typed and named in errors, e.g. {@code plan.json: placements[0].gpus[0]: null must be a
 * whole number}. A plan of the wrong shape is bad input; a well-formed plan that breaks rules (a start outside
 * the horizon, an unknown node, a GPU index the node lacks) reads fine and is for the validator to report.
 */
final class PlanReader {

    private static final ObjectMapper BINDER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PlanReader() {
    }

    static Plan read(JsonNode doc, String name) throws InputException {
        try {
            JsonField root = new JsonField(doc, "");
            List<Plan.Placement> placements = new ArrayList<>();
            List<JsonNode> items = root.array("placements", false);
            for (int i = 0; i < items.size(); i++) {
                JsonField p = new JsonField(items.get(i), "placements[" + i + "]");
                placements.add(new Plan.Placement(p.string("job"), index(p, "task"), p.string("node"),
                        p.intList("gpus", Integer.MIN_VALUE, Integer.MAX_VALUE), migStart(p),
                        (int) p.integer("startSlot", Integer.MIN_VALUE, Integer.MAX_VALUE)));
            }
            List<Plan.Unplaced> unplaced = new ArrayList<>();
            items = root.array("unplaced", false);
            for (int i = 0; i < items.size(); i++) {
                JsonField u = new JsonField(items.get(i), "unplaced[" + i + "]");
                Integer task = u.has("task") ? index(u, "task") : null;
                unplaced.add(new Plan.Unplaced(u.string("job"), task, u.optString("reason", "")));
            }
            List<Plan.Move> moves = new ArrayList<>();
            items = root.array("moves", false);
            for (int i = 0; i < items.size(); i++) {
                JsonField m = new JsonField(items.get(i), "moves[" + i + "]");
                moves.add(new Plan.Move(m.string("job"), index(m, "task"), m.string("fromNode"), m.string("toNode"),
                        m.intList("gpus", Integer.MIN_VALUE, Integer.MAX_VALUE), migStart(m)));
            }
            List<Plan.Preemption> preemptions = new ArrayList<>();
            items = root.array("preemptions", false);
            for (int i = 0; i < items.size(); i++) {
                JsonField p = new JsonField(items.get(i), "preemptions[" + i + "]");
                preemptions.add(new Plan.Preemption(p.string("job"), index(p, "task"), p.string("node"),
                        p.string("for"), p.string("reason")));
            }
            Plan.Totals totals = root.has("totals") ? totals(root.object("totals")) : null;
            Plan.Totals past = root.has("totalsPastHorizon") ? totals(root.object("totalsPastHorizon")) : null;
            return new Plan(root.has("score") ? root.raw("score").asText() : null,
                    root.optBoolean("feasible", false), placements, unplaced, moves, preemptions, totals, past,
                    bound(root, "constraints", Plan.ConstraintScore.class), bound(root, "warnings", String.class),
                    bound(root, "explanations", Plan.Explanation.class));
        } catch (InputException e) {
            throw e.inDocument(name);
        }
    }

    /** The parts no rule depends on (the score breakdown, warnings, explanations), read as they were written. */
    private static <T> List<T> bound(JsonField root, String field, Class<T> type) throws InputException {
        List<JsonNode> items = root.array(field, false);
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                out.add(BINDER.treeToValue(items.get(i), type));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new InputException(field + "[" + i + "]", items.get(i).toString(), field + "[" + i + "]: "
                        + "is not a " + type.getSimpleName() + " of a plan");
            }
        }
        return out;
    }

    private static int index(JsonField f, String field) throws InputException {
        return (int) f.integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static Integer migStart(JsonField f) throws InputException {
        return f.nullableInteger("migStart", Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static Plan.Totals totals(JsonField t) throws InputException {
        double any = Double.MAX_VALUE;
        return new Plan.Totals(t.number("energyKWh", -any, any), t.number("co2eKg", -any, any),
                t.number("energyCostUsd", -any, any), t.number("nodeCostUsd", -any, any),
                t.number("expectedPreemptionLossGpuHours", -any, any), t.number("placedGpuShare", -any, any),
                t.optNumber("preemptionLossGpuHours", 0.0, -any, any));
    }
}
