package io.gpuplacer.service.capacity;

import io.gpuplacer.service.capacity.CapacityPlan.Purchase;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One way of sizing (on the peak, or on the mean): its purchases, its capacity month by month. */
final class Sizing {
    final CapacityPlanner.Inputs in;
    final Map<DemandHistory.Key, DemandForecast> forecasts;
    final List<PlanMonth> months;
    final boolean onPeak;
    final List<Purchase> purchases = new ArrayList<>();
    final List<CapacityPlan.ForecastRow> rows = new ArrayList<>();
    final Map<DemandHistory.Key, double[]> capacity = new HashMap<>(); // per month
    private final NodePricing pricing;
    private List<CapacityPlan.Retirement> retired; // made once, on first use

    Sizing(CapacityPlanner.Inputs in, Map<DemandHistory.Key, DemandForecast> forecasts, List<PlanMonth> months, boolean onPeak,
             List<String> warnings) {
        this.in = in;
        this.forecasts = forecasts;
        this.months = months;
        this.onPeak = onPeak;
        this.pricing = new NodePricing(in.fleet(), in.carbonPriceUsdPerTonne());
        forecasts.forEach((key, f) -> size(key, f, warnings));
    }

    String zoneOf(DemandHistory.Key key) {
        return key.zone().equals(ForecastSeries.ANY) ? null : key.zone();
    }

    /** Announced growth of the series' model; where zones are pinned, shared by the zones' demand. */
    double growth(DemandHistory.Key key, Instant at) {
        double all = in.growth().at(key.gpuModel(), at);
        if (all == 0 || zoneOf(key) == null) {
            return all;
        }
        double mine = ForecastSeries.total(in.history().series().get(key));
        double model = in.history().series().values().stream().filter(s -> s.key().gpuModel()
                .equals(key.gpuModel())).mapToDouble(ForecastSeries::total).sum();
        return model > 0 ? all * mine / model : 0;
    }

    double peak(DemandHistory.Key key, PlanMonth m) {
        return forecasts.get(key).peakAt(m.end()) + growth(key, m.end());
    }

    double mean(DemandHistory.Key key, PlanMonth m) {
        return forecasts.get(key).meanAt(m.middle()) + growth(key, m.middle());
    }

    void size(DemandHistory.Key key, DemandForecast f, List<String> warnings) {
        // Where the workload's shapes have MIG work, its share of the demand needs GPUs that serve MIG and the
        // rest GPUs that do not (a MIG-enabled node takes only MIG tasks): two lanes, each sized on its own.
        double mig = migShare(key.gpuModel());
        double[] ordered = mig == 0 ? new double[] {in.fleet().gpus(key.gpuModel(), zoneOf(key)), 0}
                : new double[] {in.fleet().gpus(key.gpuModel(), zoneOf(key), false),
                in.fleet().gpus(key.gpuModel(), zoneOf(key), true)};
        double[] cap = new double[months.size()];
        for (int i = 0; i < months.size(); i++) {
            PlanMonth m = months.get(i);
            double need = onPeak ? peak(key, m) : mean(key, m);
            for (int lane = 0; lane < 2; lane++) {
                double share = mig == 0 ? (lane == 0 ? 1 : 0) : lane == 1 ? mig : 1 - mig;
                double short_ = need * share - ordered[lane];
                if (share > 0 && short_ > 1e-9) {
                    Purchase p = buy(key, m, short_, ordered[lane], mean(key, m) / Math.max(1e-9, peak(key, m)),
                            warnings, mig == 0 ? null : lane == 1);
                    if (p != null) {
                        purchases.add(p);
                        ordered[lane] += p.count() * gpusOf(p);
                    }
                }
            }
            cap[i] = capacityAt(key, m.start());
            rows.add(new CapacityPlan.ForecastRow(m.month().toString(), key.zone(), key.gpuModel(),
                    CapacityPlanner.round(peak(key, m)), CapacityPlanner.round(mean(key, m)), CapacityPlanner.round(cap[i])));
        }
        capacity.put(key, cap);
    }

    /** The share of the model's work (by GPU share, over the workload's shapes) that is MIG instances. */
    double migShare(String gpuModel) {
        double mig = 0;
        double all = 0;
        for (com.fasterxml.jackson.databind.JsonNode job : in.shapes().getOrDefault(gpuModel, List.of())) {
            double gpus = job.path("tasks").asInt(1) * Shapes.share(job);
            all += gpus;
            mig += "MIG".equals(job.path("gpu").path("kind").asText()) ? gpus : 0;
        }
        return all > 0 ? mig / all : 0;
    }

    /** The fleet's GPUs of the series plus the purchases arrived by then. */
    double capacityAt(DemandHistory.Key key, Instant at) {
        return in.fleet().gpus(key.gpuModel(), zoneOf(key)) + purchases.stream().filter(p -> serves(p, key)
                && !p.arrives().isAfter(at)).mapToDouble(p -> p.count() * gpusOf(p)).sum();
    }

    boolean serves(Purchase p, DemandHistory.Key key) {
        return p.gpuModel().equals(key.gpuModel()) && (zoneOf(key) == null || p.zone().equals(key.zone()));
    }

    int gpusOf(Purchase p) {
        return in.catalogue().type(p.nodeType(), p.zone()).gpuCount();
    }

    /** {@code mig}: a node type whose GPUs serve MIG (true), one whose do not (false), or either (null). */
    Purchase buy(DemandHistory.Key key, PlanMonth m, double shortGpus, double ordered, double utilisation,
                 List<String> warnings, Boolean mig) {
        List<NodeCatalogue.NodeType> options = in.catalogue().of(key.gpuModel(), zoneOf(key));
        if (mig != null) {
            List<NodeCatalogue.NodeType> kind = options.stream().filter(t -> t.migEnabled() == mig).toList();
            if (kind.isEmpty() && mig) {
                warnings.add(String.format(Locale.ROOT, "%s: %.1f GPUs of MIG work short in %s, but the catalogue "
                        + "sells no %s node type with migEnabled: nothing is bought for it", key, shortGpus,
                        m.month(), key.gpuModel()));
                return null;
            }
            options = kind.isEmpty() ? options : kind;
        }
        if (options.isEmpty()) {
            warnings.add(String.format(Locale.ROOT, "%s: %.1f GPUs short in %s, but the catalogue sells no %s "
                    + "node%s: nothing can be bought for it", key, shortGpus, m.month(), key.gpuModel(),
                    zoneOf(key) == null ? "" : " in " + key.zone()));
            return null;
        }
        NodeCatalogue.NodeType best = options.stream().min(Comparator.comparingDouble((NodeCatalogue.NodeType t)
                -> pricing.perGpuHour(t, utilisation)).thenComparingDouble(NodeCatalogue.NodeType::leadTimeWeeks))
                .orElseThrow();
        int count = (int) Math.ceil(shortGpus / best.gpuCount() - 1e-9);
        Instant neededBy = m.start();
        long leadHours = Math.round(best.leadTimeWeeks() * 7 * 24);
        Instant orderBy = neededBy.minus(leadHours, ChronoUnit.HOURS);
        Instant arrives = orderBy.isBefore(in.asOf()) ? in.asOf().plus(leadHours, ChronoUnit.HOURS) : neededBy;
        String reason = String.format(Locale.ROOT, "%s %s: forecast %s %.1f GPUs%s, capacity %.1f: %.1f short; %s "
                + "in %s at %.2f USD per GPU-hour (price, energy and carbon at %.0f USD/t)", m.month(), key,
                onPeak ? "peak (p95)" : "mean", shortGpus + ordered, mig == null ? "" : mig ? " of MIG work"
                        : " of whole-GPU work", ordered, shortGpus, best.id(), best.zone(),
                pricing.perGpuHour(best, utilisation), in.carbonPriceUsdPerTonne());
        if (orderBy.isBefore(in.asOf())) {
            reason += "; its order date has passed (lead time " + best.leadTimeWeeks() + " weeks): ordered now, it "
                    + "arrives " + arrives + " and the demand above the fleet waits until then";
        }
        return new Purchase(best.id(), best.zone(), key.gpuModel(), count, neededBy, orderBy, arrives, reason);
    }

    double boughtGpus(DemandHistory.Key key) {
        return purchases.stream().filter(p -> serves(p, key)).mapToDouble(p -> p.count() * gpusOf(p)).sum();
    }

    /** Nodes of the fleet idle even at the peak: whole nodes above the highest forecast peak, dearest first. */
    List<CapacityPlan.Retirement> retire() {
        if (retired == null) {
            retired = retirements();
        }
        return retired;
    }

    private List<CapacityPlan.Retirement> retirements() {
        List<CapacityPlan.Retirement> out = new ArrayList<>();
        for (DemandHistory.Key key : forecasts.keySet()) {
            if (boughtGpus(key) > 0) {
                continue;
            }
            double top = months.stream().mapToDouble(m -> peak(key, m)).max().orElse(0);
            double spare = in.fleet().gpus(key.gpuModel(), zoneOf(key)) - top;
            List<Fleet.Node> nodes = new ArrayList<>(in.fleet().nodes().stream().filter(n -> n.gpuModel()
                    .equals(key.gpuModel()) && (zoneOf(key) == null || n.zone().equals(key.zone()))).toList());
            nodes.sort(Comparator.comparingDouble((Fleet.Node n) -> -pricing.idleHour(n)).thenComparing(Fleet.Node::id));
            for (Fleet.Node n : nodes) {
                if (n.gpuCount() <= spare + 1e-9) {
                    spare -= n.gpuCount();
                    out.add(new CapacityPlan.Retirement(n.id(), n.zone(), n.gpuModel(), String.format(Locale.ROOT,
                            "the forecast peak of %s stays at or below %.1f GPUs in the plan's months: without "
                                    + "its %d GPUs the fleet still covers it", key, top, n.gpuCount())));
                }
            }
        }
        return out;
    }

    /** The week from {@code from} replayed on this scenario's fleet (the retired nodes gone, every purchase in). */
    PeakWeekReplay.Result replay(Instant from) throws io.gpuplacer.model.interchange.InputException {
        com.fasterxml.jackson.databind.node.ObjectNode doc = in.fleet().document().deepCopy();
        java.util.Set<String> retired = new java.util.HashSet<>();
        retire().forEach(r -> retired.add(r.node()));
        com.fasterxml.jackson.databind.node.ArrayNode nodes = doc.putArray("nodes");
        for (com.fasterxml.jackson.databind.JsonNode n : in.fleet().document().path("nodes")) {
            if (!retired.contains(n.path("id").asText())) {
                nodes.add(n);
            }
        }
        int i = 0;
        int batch = 0;
        for (Purchase p : purchases) {
            batch++; // the nodes of one purchase arrive together: one network block
            NodeCatalogue.NodeType t = in.catalogue().type(p.nodeType(), p.zone());
            for (int c = 0; c < p.count(); c++) {
                nodes.addObject().put("id", "new-" + t.id() + "-" + (++i)).put("zone", t.zone())
                        .put("block", "new-" + batch)
                        .put("gpuModel", t.gpuModel()).put("gpuCount", t.gpuCount())
                        .put("cpuMillis", 24_000 * t.gpuCount()).put("memoryMiB", 262_144 * t.gpuCount())
                        .put("costPerHour", t.costPerHour()).put("baseWatts", t.baseWatts())
                        .put("gpuBusyWatts", t.gpuBusyWatts()).put("migEnabled", t.migEnabled());
            }
        }
        Map<String, double[]> demand = new TreeMap<>();
        forecasts.forEach((key, f) -> {
            double[] hourly = f.hourly(from, PeakWeekReplay.HOURS);
            double[] sum = demand.computeIfAbsent(key.gpuModel(), k -> new double[PeakWeekReplay.HOURS]);
            for (int h = 0; h < hourly.length; h++) {
                sum[h] += hourly[h] + growth(key, from.plus(h, ChronoUnit.HOURS));
            }
        });
        return PeakWeekReplay.replay(doc, demand, in.shapes(), from, in.signals());
    }

    /** The plan's months: the fleet's node and energy cost and CO2e, the purchases' embodied CO2e. */
    CapacityPlan.Cost cost() {
        List<String> retired = retire().stream().map(CapacityPlan.Retirement::node).toList();
        double usd = 0;
        double kg = 0;
        double embodied = 0;
        for (PlanMonth m : months) {
            for (DemandHistory.Key key : forecasts.keySet()) {
                int i = months.indexOf(m);
                double u = Math.min(1, mean(key, m) / Math.max(1e-9, capacity.get(key)[i]));
                for (Fleet.Node n : in.fleet().nodes()) {
                    if (n.gpuModel().equals(key.gpuModel()) && (zoneOf(key) == null || n.zone().equals(key.zone()))
                            && !retired.contains(n.id())) { // the fleet's own nodes, all the plan's hours
                        double[] e = pricing.energy(n.zone(), n.baseWatts(), n.gpuBusyWatts(), n.gpuCount(), u, m.hours());
                        usd += n.costPerHour() * m.hours() + e[0];
                        kg += e[1];
                    }
                }
                for (Purchase p : purchases) {
                    Instant from = p.arrives().isAfter(m.start()) ? p.arrives() : m.start();
                    int hours = (int) Math.max(0, ChronoUnit.HOURS.between(from, m.end()));
                    if (serves(p, key) && hours > 0) {
                        NodeCatalogue.NodeType t = in.catalogue().type(p.nodeType(), p.zone());
                        double[] e = pricing.energy(t.zone(), t.baseWatts(), t.gpuBusyWatts(), t.gpuCount(), u, hours);
                        usd += p.count() * (t.costPerHour() * hours + e[0]);
                        kg += p.count() * e[1];
                        embodied += p.count() * t.embodiedKgPerHour() * hours;
                    }
                }
            }
        }
        return new CapacityPlan.Cost(CapacityPlanner.round(usd), CapacityPlanner.round(kg), CapacityPlanner.round(embodied));
    }

    /** GPU-hours of the forecast hourly demand above this scenario's capacity, over the plan's months. */
    double shortfall() {
        double out = 0;
        for (Map.Entry<DemandHistory.Key, DemandForecast> e : forecasts.entrySet()) {
            for (int i = 0; i < months.size(); i++) {
                PlanMonth m = months.get(i);
                double[] hourly = e.getValue().hourly(m.start(), m.hours());
                for (int h = 0; h < hourly.length; h++) {
                    Instant at = m.start().plus(h, ChronoUnit.HOURS);
                    double demand = hourly[h] + growth(e.getKey(), at);
                    out += Math.max(0, demand - capacityAt(e.getKey(), at));
                }
            }
        }
        return out;
    }
}
