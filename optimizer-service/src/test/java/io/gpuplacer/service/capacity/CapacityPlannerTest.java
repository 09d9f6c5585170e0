package io.gpuplacer.service.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Plans on hand-made histories: what is bought, where, by when; what is retired; the average-based plan's miss. */
class CapacityPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The week after four weeks of history. */
    private static final Instant AS_OF = Histories.START.plusSeconds(3600L * 168 * 4);

    /** A fleet of {@code nodes} 8-GPU H100 nodes in zone A; zone A dirty and cheap, zone B clean and dear. */
    private static Fleet fleet(int nodes) throws Exception {
        StringBuilder n = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            n.append(i == 0 ? "" : ",").append("{\"id\": \"a-").append(i).append("\", \"zone\": \"A\", \"gpuModel\": "
                    + "\"H100-80GB\", \"gpuCount\": 8, \"cpuMillis\": 192000, \"memoryMiB\": 2097152, "
                    + "\"costPerHour\": ").append(10 + i).append(", \"baseWatts\": "
                    + "1000, \"gpuBusyWatts\": 700}");
        }
        JsonNode cluster = JSON.readTree("{\"zones\": [{\"id\": \"A\", \"pue\": 1.0}, {\"id\": \"B\", \"pue\": 1.0}], "
                + "\"nodes\": [" + n + "]}");
        JsonNode signals = JSON.readTree("""
                {"zones": {"A": {"carbon": [{"at": "2026-10-01T00:00:00Z", "gPerKWh": 800}],
                                 "price": [{"at": "2026-10-01T00:00:00Z", "usdPerMWh": 50}]},
                           "B": {"carbon": [{"at": "2026-10-01T00:00:00Z", "gPerKWh": 50}],
                                 "price": [{"at": "2026-10-01T00:00:00Z", "usdPerMWh": 100}]}}}""");
        return Fleet.read(cluster, signals, "cluster.json");
    }

    /** The same 8-GPU node sold in A and in B at one price, 12 weeks' lead time in A and 4 in B. */
    private static NodeCatalogue catalogue() throws Exception {
        return NodeCatalogue.read(JSON.readTree("""
                {"nodeTypes": [
                  {"id": "p5", "zone": "A", "gpuModel": "H100-80GB", "gpuCount": 8, "leadTimeWeeks": 12,
                   "costPerHour": 20, "baseWatts": 1000, "gpuBusyWatts": 700, "embodiedKgCo2e": 20000,
                   "lifetimeYears": 5},
                  {"id": "p5", "zone": "B", "gpuModel": "H100-80GB", "gpuCount": 8, "leadTimeWeeks": 4,
                   "costPerHour": 20, "baseWatts": 1000, "gpuBusyWatts": 700, "embodiedKgCo2e": 20000,
                   "lifetimeYears": 5}]}"""), "catalogue.json");
    }

    private static CapacityPlan plan(String csv, int nodes, double carbonPrice, int months) throws Exception {
        return CapacityPlanner.plan(new CapacityPlanner.Inputs(Histories.read(csv), fleet(nodes), catalogue(),
                Growth.NONE, AS_OF, months, carbonPrice, false, java.util.Map.of(), null));
    }

    @Test
    void burstsAreBoughtForAndTheAveragePlanLeavesThemWaiting() throws Exception {
        String bursty = Histories.csv("A", "H100-80GB", 4, h -> Histories.burst(h) ? 50 : 10);
        CapacityPlan p = plan(bursty, 2, 0, 4);
        // Peak 50 against 16 GPUs: 34 short, five 8-GPU nodes, due now.
        assertThat(p.purchases()).hasSize(1);
        CapacityPlan.Purchase buy = p.purchases().get(0);
        assertThat(buy.count()).isEqualTo(5);
        assertThat(buy.neededBy()).isEqualTo(AS_OF);
        // Without a carbon price zone A's cheaper energy wins (50 against 100 USD/MWh); its 12 weeks' lead time has
        // passed: ordered now, the nodes arrive 12 weeks on.
        assertThat(buy.zone()).isEqualTo("A");
        Instant arrives = AS_OF.plus(12 * 7 * 24, ChronoUnit.HOURS);
        assertThat(buy.arrives()).isEqualTo(arrives);
        assertThat(buy.reason()).contains("forecast peak (p95) 50.0 GPUs, capacity 16.0: 34.0 short").contains(
                "its order date has passed (lead time 12.0 weeks): ordered now, it arrives " + arrives);
        assertThat(p.forecast()).extracting(CapacityPlan.ForecastRow::capacityGpus).containsExactly(16.0, 16.0, 16.0,
                56.0);
        // The mean (12.86) fits in 16 GPUs: the average plan buys nothing, and every burst hour waits 34 GPUs; the
        // peak plan's burst hours wait only until its nodes arrive.
        assertThat(p.averageBased().purchases()).isEmpty();
        Instant end = Instant.parse("2027-02-01T00:00:00Z");
        assertThat(p.averageBased().shortfallGpuHours()).isCloseTo(34.0 * burstHours(AS_OF, end), within(0.01));
        assertThat(p.averageBased().peakPlanShortfallGpuHours()).isCloseTo(34.0 * burstHours(AS_OF, arrives),
                within(0.01)).isPositive();
        assertThat(p.warnings()).as("four whole weeks, signals for every zone").isEmpty();
        // The week from January 1st replayed with the placement model: the planned fleet (56 GPUs) places every
        // burst; the average plan's 16 GPUs leave 34 waiting in each of the week's 12 burst hours.
        assertThat(p.replay().plannedFleet().unplacedGpuHours()).isZero();
        Instant week = Instant.parse("2027-01-01T00:00:00Z");
        assertThat(p.replay().averageBasedFleet().unplacedGpuHours()).isEqualTo(34.0 * burstHours(week,
                week.plus(168, ChronoUnit.HOURS)));
        assertThat(p.replay().plannedFleet().nodes()).isEqualTo(7);
    }

    private static long burstHours(Instant from, Instant to) {
        long n = 0;
        for (Instant h = from; h.isBefore(to); h = h.plus(1, ChronoUnit.HOURS)) {
            n += Histories.burst(ChronoUnit.HOURS.between(Histories.START, h)) ? 1 : 0;
        }
        return n;
    }

    @Test
    void aCarbonPriceMovesThePurchaseToTheCleanZone() throws Exception {
        String bursty = Histories.csv("A", "H100-80GB", 4, h -> Histories.burst(h) ? 50 : 10);
        // A at 800 g/kWh, B at 50: at 1000 USD/t the ~1.8 kg/h more of a node in A (2.44 kW at 26 % use) outweighs
        // its 0.12 USD/h cheaper energy.
        CapacityPlan p = plan(bursty, 2, 1000, 1);
        assertThat(p.purchases().get(0).zone()).isEqualTo("B");
        assertThat(p.purchases().get(0).orderBy()).isEqualTo(AS_OF.minus(4 * 7 * 24, ChronoUnit.HOURS));
    }

    @Test
    void growthIsBoughtForTheMonthItReaches() throws Exception {
        // 2 GPUs more each week from 10: at the end of November the trend is past 16.
        String growing = Histories.csv("A", "H100-80GB", 4, h -> 10 + 2.0 * h / 168);
        CapacityPlan p = plan(growing, 2, 0, 3);
        assertThat(p.forecast()).extracting(CapacityPlan.ForecastRow::month).containsExactly("2026-10", "2026-11",
                "2026-12");
        assertThat(p.purchases()).isNotEmpty();
        // What is ordered for a month (the fleet's 16 GPUs and every purchase needed by its start) holds its peak.
        Instant[] starts = {AS_OF, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")};
        for (int i = 0; i < 3; i++) {
            Instant start = starts[i];
            int ordered = 16 + p.purchases().stream().filter(b -> !b.neededBy().isAfter(start))
                    .mapToInt(b -> 8 * b.count()).sum();
            assertThat((double) ordered).as(p.forecast().get(i).month()).isGreaterThanOrEqualTo(
                    p.forecast().get(i).peakGpus()).isLessThan(p.forecast().get(i).peakGpus() + 8);
        }
        assertThat(p.purchases()).extracting(CapacityPlan.Purchase::neededBy).isSorted();
    }

    @Test
    void nodesIdleAtThePeakAreRetiredDearestFirst() throws Exception {
        CapacityPlan p = plan(Histories.csv("A", "H100-80GB", 4, h -> 10), 4, 0, 2);
        assertThat(p.purchases()).isEmpty();
        // 32 GPUs for a peak of 10: two nodes go (16 left), the dearest (a-3 at 13 USD/h, a-2 at 12).
        assertThat(p.retire()).extracting(CapacityPlan.Retirement::node).containsExactly("a-3", "a-2");
    }

    @Test
    void aModelTheCatalogueDoesNotSellIsAWarningNotAPurchase() throws Exception {
        String a100 = Histories.csv("A", "A100-80GB", 4, h -> 20);
        CapacityPlan p = plan(a100, 0, 0, 1);
        assertThat(p.purchases()).isEmpty();
        assertThat(p.warnings()).anySatisfy(w -> assertThat(w).contains("the catalogue sells no A100-80GB node"));
    }

    @Test
    void theCostCountsTheFleetsHoursEnergyAndTheBoughtNodesEmbodiedCarbon() throws Exception {
        CapacityPlan p = plan(Histories.csv("A", "H100-80GB", 4, h -> 8), 1, 0, 1);
        assertThat(p.purchases()).isEmpty();
        assertThat(p.retire()).isEmpty();
        // One node, all of October from the as-of hour: 10 USD/h, 1000 W + 8 x 700 W busy at 100 % (8 of 8 GPUs).
        long hours = ChronoUnit.HOURS.between(AS_OF, Instant.parse("2026-11-01T00:00:00Z"));
        double kWh = (1000 + 8 * 700) / 1000.0 * hours;
        assertThat(p.cost().usd()).isCloseTo(10 * hours + kWh * 50 / 1000, within(0.01));
        assertThat(p.cost().co2eKg()).isCloseTo(kWh * 800 / 1000, within(0.01));
        assertThat(p.cost().embodiedKgCo2e()).isZero();
    }

    /**
     * MIG work needs GPUs that serve MIG, whole-GPU work GPUs that do not: each share of the demand is bought of its
     * kind, and the replay places both; without a MIG-capable type the MIG share is not bought, and said.
     */
    @Test
    void migWorkIsBoughtMigCapableNodesAndTheRestWholeGpuNodes() throws Exception {
        String a100 = Histories.csv("A", "A100-80GB", 4, h -> 16);
        JsonNode instance = JSON.readTree("{\"tasks\": 1, \"gpu\": {\"kind\": \"MIG\", \"profile\": "
                + "\"3g.40gb\"}, \"cpuMillis\": 2000, \"memoryMiB\": 16384}");
        JsonNode whole = JSON.readTree("{\"tasks\": 1, \"gpu\": {\"kind\": \"WHOLE\", \"count\": 1}, "
                + "\"cpuMillis\": 2000, \"memoryMiB\": 16384}");
        java.util.Map<String, java.util.List<JsonNode>> shapes = java.util.Map.of("A100-80GB",
                java.util.List.of(instance, whole));
        String types = "{\"id\": \"a2\", \"zone\": \"A\", \"gpuModel\": \"A100-80GB\", \"gpuCount\": 8, "
                + "\"costPerHour\": 20, \"baseWatts\": 800, \"gpuBusyWatts\": 400}";
        String migTypes = types + ", " + types.replace("\"a2\"", "\"a2-mig\"").replace("}", ", \"migEnabled\": true}");
        CapacityPlan p = CapacityPlanner.plan(new CapacityPlanner.Inputs(Histories.read(a100), fleet(0),
                NodeCatalogue.read(JSON.readTree("{\"nodeTypes\": [" + migTypes + "]}"), "catalogue.json"),
                Growth.NONE, AS_OF, 1, 0, false, shapes, null));
        // By GPU share the mix is 3/7 MIG to 1 whole: 30 % of 16 GPUs (4.8) on MIG nodes, 11.2 on whole-GPU nodes.
        assertThat(p.purchases()).extracting(b -> b.nodeType() + " x" + b.count()).containsExactlyInAnyOrder("a2 x2",
                "a2-mig x1");
        assertThat(p.replay().plannedFleet().unplacedGpuHours()).isZero();

        CapacityPlan none = CapacityPlanner.plan(new CapacityPlanner.Inputs(Histories.read(a100), fleet(0),
                NodeCatalogue.read(JSON.readTree("{\"nodeTypes\": [" + types + "]}"), "catalogue.json"),
                Growth.NONE, AS_OF, 1, 0, false, shapes, null));
        assertThat(none.purchases()).extracting(b -> b.nodeType() + " x" + b.count()).containsExactly("a2 x2");
        assertThat(none.warnings()).anySatisfy(w -> assertThat(w).contains("sells no A100-80GB node type with "
                + "migEnabled"));
        assertThat(none.replay().plannedFleet().unplacedGpuHours()).as("the MIG work finds no MIG GPU").isPositive();
    }
}
