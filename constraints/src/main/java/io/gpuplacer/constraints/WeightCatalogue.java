package io.gpuplacer.constraints;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import com.fasterxml.jackson.databind.JsonNode;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.problem.CostModel;
import io.gpuplacer.model.problem.WorkloadProfile;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every knob an operator can turn: prices (continuous, in the units people think in) and one weight per soft
 * constraint (a whole number applied through Timefold's ConstraintWeightOverrides; 0 switches the term off).
 * Prices say what a unit is worth; weights scale a whole term.
 */
public final class WeightCatalogue {

    /** One knob: id, unit, default, valid range, and whether it takes whole numbers only. */
    public record Knob(String id, String unit, double defaultValue, double min, double max, boolean integer,
                       String description) {
    }

    public static final String CARBON_PRICE = "carbonPriceUsdPerTonne";
    public static final String ENERGY_COST_MULTIPLIER = "energyCostMultiplier";
    public static final String NODE_COST_MULTIPLIER = "nodeCostMultiplier";
    public static final String PREEMPTION_LOSS = "preemptionLossUsdPerGpuHour";
    public static final String MOVE_COST = "moveCostUsd";
    public static final String BLOCK_SPREAD = "blockSpreadUsd";
    public static final String FRAGMENTATION = "fragmentationUsdPerGpuHour";
    public static final String FAIR_SHARING = "fairSharingUsdPerGpuHour";
    /** The weight knob of a soft constraint is its id followed by this. */
    public static final String WEIGHT_SUFFIX = "Weight";

    public static final List<Knob> KNOBS = knobs();
    public static final Map<String, Knob> BY_ID = KNOBS.stream()
            .collect(Collectors.toUnmodifiableMap(Knob::id, Function.identity()));

    private WeightCatalogue() {
    }

    private static List<Knob> knobs() {
        List<Knob> knobs = new java.util.ArrayList<>(List.of(
                new Knob(CARBON_PRICE, "USD per tonne CO2e", 100, 0, 10_000, false,
                        "internal carbon price: what one tonne of emissions costs in the objective"),
                new Knob(ENERGY_COST_MULTIPLIER, "x market price", 1, 0, 100, false,
                        "scales the zone's hourly power price"),
                new Knob(NODE_COST_MULTIPLIER, "x costPerHour", 1, 0, 100, false,
                        "scales what an hour of a node costs while it is on"),
                new Knob(PREEMPTION_LOSS, "USD per GPU-hour lost", 4, 0, 10_000, false,
                        "value of one GPU-hour of work lost to a spot reclaim or a restart"),
                new Knob(MOVE_COST, "USD per moved task", 5, 0, 100_000, false,
                        "fixed disruption cost of moving one running task, on top of its restart"),
                new Knob(BLOCK_SPREAD, "USD per extra block", 20, 0, 100_000, false,
                        "cost of each extra network block an ANY-topology gang spans"),
                new Knob(FRAGMENTATION, "USD per fragmented GPU-hour", 0.5, 0, 10_000, false,
                        "cost of one GPU-hour of capacity that the workload's typical tasks could not use"),
                new Knob(FAIR_SHARING, "USD per GPU-hour off the fair share", 2, 0, 10_000, false,
                        "cost of one GPU-hour of what a cohort lends held by one borrowing queue beyond its "
                                + "fairShareWeight's part (queues, section 9)")));
        for (ConstraintCatalogue.Entry entry : ConstraintCatalogue.ENTRIES) {
            if (entry.level() == ConstraintCatalogue.Level.SOFT) {
                knobs.add(new Knob(entry.id() + WEIGHT_SUFFIX, "x", 1, 0, 1000, true,
                        "weight of the " + entry.id() + " term (0 switches it off)"));
            }
        }
        return List.copyOf(knobs);
    }

    /** A complete, valid set of knob values. */
    public record Weights(Map<String, Double> values) {

        public double get(String knob) {
            Double v = values.get(knob);
            if (v == null) {
                throw new IllegalArgumentException("unknown knob " + knob);
            }
            return v;
        }

        /** The prices for the solution (its workload profile is filled in when the solution is built). */
        public CostModel costModel() {
            return new CostModel(get(ENERGY_COST_MULTIPLIER), get(NODE_COST_MULTIPLIER), get(CARBON_PRICE),
                    get(PREEMPTION_LOSS), get(MOVE_COST), get(BLOCK_SPREAD), get(FRAGMENTATION), get(FAIR_SHARING),
                    WorkloadProfile.empty());
        }

        /** The soft constraints' weights for Timefold. */
        public ConstraintWeightOverrides<HardMediumSoftLongScore> overrides() {
            Map<String, HardMediumSoftLongScore> map = new LinkedHashMap<>();
            for (ConstraintCatalogue.Entry entry : ConstraintCatalogue.ENTRIES) {
                if (entry.level() == ConstraintCatalogue.Level.SOFT) {
                    map.put(entry.id(), HardMediumSoftLongScore.ofSoft(Math.round(get(entry.id() + WEIGHT_SUFFIX))));
                }
            }
            return ConstraintWeightOverrides.of(map);
        }

        /** These weights with some knobs changed, each checked against the catalogue. */
        public Weights with(Map<String, Double> changes) throws InputException {
            Map<String, Double> out = new LinkedHashMap<>(values);
            for (Map.Entry<String, Double> change : changes.entrySet()) {
                out.put(change.getKey(), check(change.getKey(), change.getValue()));
            }
            return new Weights(Map.copyOf(out));
        }
    }

    public static Weights defaults() {
        Map<String, Double> values = new LinkedHashMap<>();
        KNOBS.forEach(k -> values.put(k.id(), k.defaultValue()));
        return new Weights(Map.copyOf(values));
    }

    /** Defaults overridden by a JSON object of knob id to number, e.g. {@code {"carbonPriceUsdPerTonne": 500}}. */
    public static Weights parse(JsonNode json) throws InputException {
        if (json == null || !json.isObject()) {
            throw new InputException("", String.valueOf(json), "weights must be a JSON object of knob id to number");
        }
        Map<String, Double> changes = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isNumber()) {
                throw new InputException(field.getKey(), field.getValue().toString(), field.getKey() + ": "
                        + field.getValue() + " must be a number");
            }
            changes.put(field.getKey(), field.getValue().asDouble());
        }
        return defaults().with(changes);
    }

    private static double check(String id, double value) throws InputException {
        Knob knob = BY_ID.get(id);
        if (knob == null) {
            throw new InputException(id, id, id + ": unknown knob; known knobs: " + String.join(", ", BY_ID.keySet()
                    .stream().sorted().toList()));
        }
        if (!Double.isFinite(value) || value < knob.min() || value > knob.max()) {
            throw new InputException(id, String.valueOf(value), id + ": " + plain(value) + " is out of range "
                    + plain(knob.min()) + ".." + plain(knob.max()) + " (" + knob.unit() + ")");
        }
        if (knob.integer() && value != Math.rint(value)) {
            throw new InputException(id, String.valueOf(value), id + ": " + plain(value) + " must be a whole number");
        }
        return value;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
