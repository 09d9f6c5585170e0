package io.gpuplacer.service.capacity;

import io.gpuplacer.service.capacity.CapacityPlan.Purchase;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to buy, month by month, to cover the forecast peak (p95) of each GPU model's demand, at the least cost plus
 * carbon: each shortfall is met with the node type (and, where demand may move between zones, the zone) whose GPU
 * costs least per hour, counting its price, its energy at the zone's mean price, and at the operator's carbon
 * price its energy's CO2e and its embodied CO2e spread over its lifetime. The same method on the mean demand is
 * made beside it, with the GPU-hours it would leave waiting.
 */
public final class CapacityPlanner {

    /** What a plan is made from. */
    /**
     * What a plan is made from; {@code shapes}: the workload's job shapes per GPU model for the replay (empty: jobs of
     * one whole GPU); {@code signals}: the signals document, or null.
     */
    public record Inputs(DemandHistory history, Fleet fleet, NodeCatalogue catalogue, Growth growth, Instant asOf,
                         int months, double carbonPriceUsdPerTonne, boolean pinZones,
                         Map<String, List<com.fasterxml.jackson.databind.JsonNode>> shapes,
                         com.fasterxml.jackson.databind.JsonNode signals) {
    }

    static final String ANY = "any";

    private CapacityPlanner() {
    }

    public static CapacityPlan plan(Inputs in) throws io.gpuplacer.model.interchange.InputException {
        List<String> warnings = new ArrayList<>(in.history().warnings());
        Map<DemandHistory.Key, DemandForecast> forecasts = new TreeMap<>();
        series(in).forEach((key, s) -> forecasts.put(key, new DemandForecast(s)));
        List<Month> months = months(in.asOf(), in.months());
        Scenario peak = new Scenario(in, forecasts, months, true, warnings);
        Scenario mean = new Scenario(in, forecasts, months, false, new ArrayList<>());
        List<CapacityPlan.WeekRow> history = new ArrayList<>();
        forecasts.forEach((k, f) -> {
            for (int i = 0; i < f.weeks().length; i++) {
                history.add(new CapacityPlan.WeekRow(k.zone(), k.gpuModel(), f.series().start().plus(
                        (long) f.weeks()[i] * DemandForecast.WEEK, ChronoUnit.HOURS), round(f.weeklyPeaks()[i]),
                        round(f.weeklyMeans()[i])));
            }
        });
        List<CapacityPlan.FitRow> fits = new ArrayList<>();
        forecasts.forEach((k, f) -> {
            fits.add(new CapacityPlan.FitRow(k.zone(), k.gpuModel(), f.peakFit().weeks(), round(f.peakFit()
                    .slopePerWeek()), round(f.peakFit().rmse()), round(f.meanFit().slopePerWeek()),
                    round(f.meanFit().rmse()), f.series().start(), round(f.peakFit().at(0))));
            if (f.peakFit().weeks() < 4) {
                warnings.add(k + ": " + f.peakFit().weeks() + " whole week(s) of history: its trend rests on too few "
                        + "weeks to trust (4 or more)");
            }
        });
        java.util.Set<String> zones = new java.util.TreeSet<>();
        in.fleet().nodes().forEach(n -> zones.add(n.zone()));
        peak.purchases.forEach(p -> zones.add(p.zone()));
        for (String zone : zones) {
            Fleet.Zone z = in.fleet().zone(zone);
            if (Double.isNaN(z.usdPerMWh()) || Double.isNaN(z.gramsPerKWh())) {
                warnings.add("zone " + zone + " has no " + (Double.isNaN(z.usdPerMWh()) ? "price" : "carbon")
                        + " signal (--signals): its energy is counted at 0");
            }
        }
        Instant week = months.get(months.size() - 1).start();
        CapacityPlan.Replay replay = new CapacityPlan.Replay(in.shapes().isEmpty() ? "one whole GPU per job (no job "
                + "shapes given)" : "the given jobs' shapes", peak.replay(week), mean.replay(week));
        return new CapacityPlan(in.asOf(), in.months(), in.carbonPriceUsdPerTonne(), in.pinZones(), history, peak.rows,
                fits, peak.purchases, peak.retire(), peak.cost(), new CapacityPlan.AverageBased(mean.purchases,
                round(mean.shortfall()), round(peak.shortfall())), replay, List.copyOf(warnings), method(in));
    }

    /** One month of the plan: from {@code start} (the first month from the as-of instant) to {@code end}. */
    record Month(YearMonth month, Instant start, Instant end) {
        int hours() {
            return (int) ChronoUnit.HOURS.between(start, end);
        }

        Instant middle() {
            return start.plus(hours() / 2, ChronoUnit.HOURS);
        }
    }

    static List<Month> months(Instant asOf, int count) {
        List<Month> out = new ArrayList<>();
        YearMonth first = YearMonth.from(asOf.atZone(ZoneOffset.UTC));
        for (int m = 0; m < count; m++) {
            YearMonth ym = first.plusMonths(m);
            Instant start = m == 0 ? asOf.truncatedTo(ChronoUnit.HOURS) : ym.atDay(1).atStartOfDay().toInstant(
                    ZoneOffset.UTC);
            out.add(new Month(ym, start, ym.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        return out;
    }

    /** The series to forecast: per zone and model where zones are pinned, else per model over all zones. */
    private static Map<DemandHistory.Key, DemandHistory.Series> series(Inputs in) {
        if (in.pinZones()) {
            return in.history().series();
        }
        Map<String, List<DemandHistory.Series>> byModel = new TreeMap<>();
        in.history().series().values().forEach(s -> byModel.computeIfAbsent(s.key().gpuModel(),
                k -> new ArrayList<>()).add(s));
        Map<DemandHistory.Key, DemandHistory.Series> out = new TreeMap<>();
        byModel.forEach((model, list) -> {
            DemandHistory.Key key = new DemandHistory.Key(ANY, model);
            out.put(key, merged(key, list));
        });
        return out;
    }

    /** The series summed hour by hour (an hour no series has stays missing). */
    static DemandHistory.Series merged(DemandHistory.Key key, List<DemandHistory.Series> list) {
        Instant start = list.stream().map(DemandHistory.Series::start).min(Comparator.naturalOrder()).orElseThrow();
        int hours = list.stream().mapToInt(s -> (int) ChronoUnit.HOURS.between(start, s.start()) + s.hours()).max()
                .orElse(0);
        double[] used = new double[hours];
        double[] pending = new double[hours];
        java.util.Arrays.fill(used, Double.NaN);
        java.util.Arrays.fill(pending, Double.NaN);
        for (DemandHistory.Series s : list) {
            int offset = (int) ChronoUnit.HOURS.between(start, s.start());
            for (int h = 0; h < s.hours(); h++) {
                if (!Double.isNaN(s.used()[h])) {
                    used[offset + h] = (Double.isNaN(used[offset + h]) ? 0 : used[offset + h]) + s.used()[h];
                    pending[offset + h] = (Double.isNaN(pending[offset + h]) ? 0 : pending[offset + h])
                            + s.pending()[h];
                }
            }
        }
        return new DemandHistory.Series(key, start, used, pending);
    }

    /** One way of sizing (on the peak, or on the mean): its purchases, its capacity month by month. */
    private static final class Scenario {
        final Inputs in;
        final Map<DemandHistory.Key, DemandForecast> forecasts;
        final List<Month> months;
        final boolean onPeak;
        final List<Purchase> purchases = new ArrayList<>();
        final List<CapacityPlan.ForecastRow> rows = new ArrayList<>();
        final Map<DemandHistory.Key, double[]> capacity = new HashMap<>(); // per month

        Scenario(Inputs in, Map<DemandHistory.Key, DemandForecast> forecasts, List<Month> months, boolean onPeak,
                 List<String> warnings) {
            this.in = in;
            this.forecasts = forecasts;
            this.months = months;
            this.onPeak = onPeak;
            forecasts.forEach((key, f) -> size(key, f, warnings));
        }

        String zoneOf(DemandHistory.Key key) {
            return key.zone().equals(ANY) ? null : key.zone();
        }

        /** Announced growth of the series' model; where zones are pinned, shared by the zones' demand. */
        double growth(DemandHistory.Key key, Instant at) {
            double all = in.growth().at(key.gpuModel(), at);
            if (all == 0 || zoneOf(key) == null) {
                return all;
            }
            double mine = total(in.history().series().get(key));
            double model = in.history().series().values().stream().filter(s -> s.key().gpuModel()
                    .equals(key.gpuModel())).mapToDouble(CapacityPlanner::total).sum();
            return model > 0 ? all * mine / model : 0;
        }

        double peak(DemandHistory.Key key, Month m) {
            return forecasts.get(key).peakAt(m.end()) + growth(key, m.end());
        }

        double mean(DemandHistory.Key key, Month m) {
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
                Month m = months.get(i);
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
                        round(peak(key, m)), round(mean(key, m)), round(cap[i])));
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
            return in.catalogue().nodeTypes().stream().filter(t -> t.id().equals(p.nodeType())
                    && t.zone().equals(p.zone())).findFirst().orElseThrow().gpuCount();
        }

        /** {@code mig}: a node type whose GPUs serve MIG (true), one whose do not (false), or either (null). */
        Purchase buy(DemandHistory.Key key, Month m, double shortGpus, double ordered, double utilisation,
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
                    -> perGpuHour(t, utilisation)).thenComparingDouble(NodeCatalogue.NodeType::leadTimeWeeks))
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
                    perGpuHour(best, utilisation), in.carbonPriceUsdPerTonne());
            if (orderBy.isBefore(in.asOf())) {
                reason += "; its order date has passed (lead time " + best.leadTimeWeeks() + " weeks): ordered now, it "
                        + "arrives " + arrives + " and the demand above the fleet waits until then";
            }
            return new Purchase(best.id(), best.zone(), key.gpuModel(), count, neededBy, orderBy, arrives, reason);
        }

        double boughtGpus(DemandHistory.Key key) {
            return purchases.stream().filter(p -> serves(p, key)).mapToDouble(p -> p.count() * gpusOf(p)).sum();
        }

        /** A node type's hour per GPU: its price, its energy's cost, and at the carbon price its CO2e. */
        double perGpuHour(NodeCatalogue.NodeType t, double utilisation) {
            Fleet.Zone z = in.fleet().zone(t.zone());
            double kw = (t.baseWatts() + t.gpuBusyWatts() * t.gpuCount() * Math.min(1, utilisation)) * z.pue()
                    / 1000;
            double energyUsd = kw * nan0(z.usdPerMWh()) / 1000;
            double kg = kw * nan0(z.gramsPerKWh()) / 1000 + t.embodiedKgPerHour();
            return (t.costPerHour() + energyUsd + kg * in.carbonPriceUsdPerTonne() / 1000) / t.gpuCount();
        }

        /** Nodes of the fleet idle even at the peak: whole nodes above the highest forecast peak, dearest first. */
        List<CapacityPlan.Retirement> retire() {
            List<CapacityPlan.Retirement> out = new ArrayList<>();
            for (DemandHistory.Key key : forecasts.keySet()) {
                if (boughtGpus(key) > 0) {
                    continue;
                }
                double top = months.stream().mapToDouble(m -> peak(key, m)).max().orElse(0);
                double spare = in.fleet().gpus(key.gpuModel(), zoneOf(key)) - top;
                List<Fleet.Node> nodes = new ArrayList<>(in.fleet().nodes().stream().filter(n -> n.gpuModel()
                        .equals(key.gpuModel()) && (zoneOf(key) == null || n.zone().equals(key.zone()))).toList());
                nodes.sort(Comparator.comparingDouble((Fleet.Node n) -> -nodeHour(n)).thenComparing(Fleet.Node::id));
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

        double nodeHour(Fleet.Node n) {
            Fleet.Zone z = in.fleet().zone(n.zone());
            double kw = n.baseWatts() * z.pue() / 1000;
            return n.costPerHour() + kw * nan0(z.usdPerMWh()) / 1000 + kw * nan0(z.gramsPerKWh()) / 1000
                    * in.carbonPriceUsdPerTonne() / 1000;
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
                NodeCatalogue.NodeType t = in.catalogue().nodeTypes().stream().filter(x -> x.id().equals(p.nodeType())
                        && x.zone().equals(p.zone())).findFirst().orElseThrow();
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
            for (Month m : months) {
                for (DemandHistory.Key key : forecasts.keySet()) {
                    int i = months.indexOf(m);
                    double u = Math.min(1, mean(key, m) / Math.max(1e-9, capacity.get(key)[i]));
                    for (Fleet.Node n : in.fleet().nodes()) {
                        if (n.gpuModel().equals(key.gpuModel()) && (zoneOf(key) == null || n.zone().equals(key.zone()))
                                && !retired.contains(n.id())) { // the fleet's own nodes, all the plan's hours
                            double[] e = energy(n.zone(), n.baseWatts(), n.gpuBusyWatts(), n.gpuCount(), u, m.hours());
                            usd += n.costPerHour() * m.hours() + e[0];
                            kg += e[1];
                        }
                    }
                    for (Purchase p : purchases) {
                        Instant from = p.arrives().isAfter(m.start()) ? p.arrives() : m.start();
                        int hours = (int) Math.max(0, ChronoUnit.HOURS.between(from, m.end()));
                        if (serves(p, key) && hours > 0) {
                            NodeCatalogue.NodeType t = in.catalogue().nodeTypes().stream().filter(x -> x.id()
                                    .equals(p.nodeType()) && x.zone().equals(p.zone())).findFirst().orElseThrow();
                            double[] e = energy(t.zone(), t.baseWatts(), t.gpuBusyWatts(), t.gpuCount(), u, hours);
                            usd += p.count() * (t.costPerHour() * hours + e[0]);
                            kg += p.count() * e[1];
                            embodied += p.count() * t.embodiedKgPerHour() * hours;
                        }
                    }
                }
            }
            return new CapacityPlan.Cost(round(usd), round(kg), round(embodied));
        }

        /** USD and kg CO2e of a node's energy over some hours at a utilisation. */
        double[] energy(String zone, double baseWatts, double busyWatts, int gpus, double u, int hours) {
            Fleet.Zone z = in.fleet().zone(zone);
            double kWh = (baseWatts + busyWatts * gpus * u) * z.pue() / 1000 * hours;
            return new double[] {kWh * nan0(z.usdPerMWh()) / 1000, kWh * nan0(z.gramsPerKWh()) / 1000};
        }

        /** GPU-hours of the forecast hourly demand above this scenario's capacity, over the plan's months. */
        double shortfall() {
            double out = 0;
            for (Map.Entry<DemandHistory.Key, DemandForecast> e : forecasts.entrySet()) {
                for (int i = 0; i < months.size(); i++) {
                    Month m = months.get(i);
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

    static double total(DemandHistory.Series s) {
        double sum = 0;
        for (int h = 0; h < s.hours(); h++) {
            double d = s.demand(h);
            sum += Double.isNaN(d) ? 0 : d;
        }
        return sum;
    }

    private static double nan0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String method(Inputs in) {
        return String.format(Locale.ROOT, "Demand is GPUs in use plus GPUs asked for and not placed, hour by hour. "
                + "For each %s, a straight-line trend is fitted (least squares) to the weekly peaks (the p95 of the "
                + "hourly demand of each whole week) and another to the weekly means; announced growth is added from "
                + "its date. Each month of the %d ahead must hold the peak trend at its end: where the fleet falls "
                + "short, the node type%s whose GPU-hour costs least (its price, its energy at the zone's mean price, "
                + "and at %.0f USD per tonne its energy's CO2e and its embodied CO2e over its lifetime) is bought, due "
                + "at the month's start and ordered its lead time before. Nodes idle even at the highest peak are "
                + "retired, dearest first. The average-based plan sizes on the mean trend instead; its shortfall is "
                + "the demand above its capacity when the history's own hourly shape (each hour as a ratio to the "
                + "mean trend, in the same hour of the week) is laid on the trend.", in.pinZones()
                ? "zone and GPU model" : "GPU model (demand may move between zones)", in.months(), in.pinZones()
                ? "" : " and zone", in.carbonPriceUsdPerTonne());
    }
}
