package io.gpuplacer.service.reports;

import io.gpuplacer.service.persistence.JobArrivalRecord;
import io.gpuplacer.service.persistence.SavingsReader.TaskRun;
import io.gpuplacer.service.persistence.SavingsReader.ZoneHour;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The savings on a case worked out by hand. Zone A's intensity is 400, 300, 200, 100, 150, 500 g/kWh in hours 0..5
 * (then 500), price 100 USD/MWh; zone B is 250 g/kWh and 50 USD/MWh throughout. Job j (one task) arrived at 0:30;
 * its latest start is 4:00. The first fit put it on n1 (zone A: 0.2 + 0.6 x utilisation kWh per hour, 1 USD per
 * hour of the node); the least-drawing eligible node of zone B is n2 (0.1 + 0.5 x utilisation). It ran on n1 for
 * two hours from 2:00 at utilisation 0.5 (0.5 kWh per hour).
 */
class SavingsTest {

    private static final Instant H0 = Instant.parse("2026-11-02T00:00:00Z");
    private static final String N1 = "[{\"node\":\"n1\",\"zone\":\"A\",\"a\":0.2,\"b\":0.6,\"c\":1.0}]";
    private static final String N2 = "[{\"node\":\"n2\",\"zone\":\"B\",\"a\":0.1,\"b\":0.5,\"c\":0.5}]";

    private static Instant h(double hours) {
        return H0.plusSeconds(Math.round(hours * 3600));
    }

    private static List<ZoneHour> zones(boolean withAHour1) {
        double[] a = {400, 300, 200, 100, 150, 500, 500, 500, 500, 500};
        List<ZoneHour> out = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (i != 1 || withAHour1) {
                out.add(new ZoneHour("A", h(i), a[i], "test", false, 100));
            }
            out.add(new ZoneHour("B", h(i), 250, "test", false, 50));
        }
        return out;
    }

    /**
     * What ran on n1 for two hours from {@code hour} at utilisation 0.5 (0.5 kWh per hour), priced at zone A's
     * intensity of those hours, as the ledger's rows sum it.
     */
    private static TaskRun ranOnN1(String job, int hour, double gPerKWh, double nextGPerKWh) {
        return new TaskRun(job, 0, h(hour), 2, 1.0, 1.0, 0.5 * (gPerKWh + nextGPerKWh) / 1000,
                2 * (0.5 * 100 / 1000 + 1));
    }

    private static JobArrivalRecord arrival(String job, double at, String firstFit) {
        return new JobArrivalRecord(1L, job, "t", "test", h(at), h(at), h(4), 1, 1, firstFit, N2, null, null, null);
    }

    @Test
    void aTimeShiftedJobAgainstTheFirstFitAndThePerfectForesightBound() {
        List<TaskRun> rows = List.of(ranOnN1("j", 2, 200, 100),
                ranOnN1("early", 0, 400, 300), // started before from: not this report's
                ranOnN1("nofit", 2, 200, 100),  // the first fit found no place
                ranOnN1("unseen", 2, 200, 100)); // never seen arriving
        List<JobArrivalRecord> arrivals = List.of(arrival("j", 0.5, N1), arrival("early", 0, N1),
                arrival("nofit", 0.5, null));
        Savings.Result r = Savings.compute(h(1), h(12), arrivals, rows, zones(true));

        assertThat(r.jobs()).isEqualTo(1);
        assertThat(r.notCounted()).containsExactlyEntriesOf(java.util.Map.of("noFirstFitPlace", 1));
        // Actual: 0.5 kWh in hours 2 and 3: 0.5 x (200 + 100) / 1000 kg; 2 x (0.05 + 1) USD.
        assertThat(r.actual().energyKWh()).isCloseTo(1.0, within(1e-12));
        assertThat(r.actual().co2eKg()).isCloseTo(0.15, within(1e-12));
        assertThat(r.actual().costUsd()).isCloseTo(2.1, within(1e-12));
        // Counterfactual: n1 from 0:30 for 2 h: 0.25 kWh at 400, 0.5 at 300, 0.25 at 200 = 0.30 kg; energy cost
        // 1.0 kWh x 100 / 1000 plus 2 node-hours of 1 USD.
        assertThat(r.counterfactual().energyKWh()).isCloseTo(1.0, within(1e-12));
        assertThat(r.counterfactual().co2eKg()).isCloseTo(0.30, within(1e-12));
        assertThat(r.counterfactual().costUsd()).isCloseTo(2.1, within(1e-12));
        assertThat(r.saved().co2eKg()).isCloseTo(0.15, within(1e-12));
        // Bound: n2 anywhere 0.35 kWh/h x 2 h x 250 = 0.175 kg; n1 from 3:00 0.5 x (100 + 150) = 0.125 kg (from
        // 1:00 0.25, 2:00 0.15, 4:00 0.325, 0:30 0.30): 0.125, with 1 kWh and 0.1 + 2 USD.
        assertThat(r.perfectForesight().co2eKg()).isCloseTo(0.125, within(1e-12));
        assertThat(r.perfectForesight().energyKWh()).isCloseTo(1.0, within(1e-12));
        assertThat(r.perfectForesight().costUsd()).isCloseTo(2.1, within(1e-12));
        assertThat(r.achievedShare()).isCloseTo((0.30 - 0.15) / (0.30 - 0.125), within(1e-12));
        assertThat(r.delayHoursTotal()).isCloseTo(1.5, within(1e-9));
        assertThat(r.delayHoursMax()).isCloseTo(1.5, within(1e-9));
        assertThat(r.counterfactualEstimatedShare()).isZero();
        // The chart's: the job counted, and the counterfactual in the period's hours (hour 0 lies before it).
        assertThat(r.countedJobs()).containsExactly("j");
        assertThat(r.counterfactualByHour()).containsOnlyKeys(h(1), h(2));
        assertThat(r.counterfactualByHour().get(h(1))).isCloseTo(0.15, within(1e-12));
        assertThat(r.counterfactualByHour().get(h(2))).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void anHourTheLedgerDidNotPriceTakesItsZonesNearestAndIsEstimated() {
        Savings.Result r = Savings.compute(h(1), h(12), List.of(arrival("j", 0.5, N1)),
                List.of(ranOnN1("j", 2, 200, 100)), zones(false));
        // Hour 1 of zone A takes hour 0's 400: 0.1 + 0.5 x 400 / 1000 + 0.05 = 0.35 kg, 0.2 of it estimated.
        assertThat(r.counterfactual().co2eKg()).isCloseTo(0.35, within(1e-12));
        assertThat(r.counterfactualEstimatedShare()).isCloseTo(0.2 / 0.35, within(1e-12));
    }

    @Test
    void aJobThatRanAtItsBestPlaceAchievedAllThatCouldBeSaved() {
        Savings.Result r = Savings.compute(h(1), h(12), List.of(arrival("j", 0.5, N1)),
                List.of(ranOnN1("j", 3, 100, 150)), zones(true));
        assertThat(r.actual().co2eKg()).isCloseTo(0.125, within(1e-12));
        assertThat(r.achievedShare()).isCloseTo(1.0, within(1e-12));
        assertThat(r.delayHoursTotal()).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void withNothingToSaveTheAchievedShareIsNotMadeUp() {
        // Arrived at 3:00 with no window: the counterfactual is the bound, and what ran.
        JobArrivalRecord late = new JobArrivalRecord(1L, "j", "t", "test", h(3), h(3), h(3), 1, 1, N1, "[]",
                null, null, null);
        Savings.Result r = Savings.compute(h(1), h(12), List.of(late),
                List.of(ranOnN1("j", 3, 100, 150)), zones(true));
        assertThat(r.saved().co2eKg()).isCloseTo(0, within(1e-12));
        assertThat(r.achievedShare()).isNull();
    }

    @Test
    void aGangsTasksEachRunFromTheCommonStartOnTheirOwnFirstFitNode() {
        // Gang g of two tasks, arrived at 1:00 with no window: the first fit put task 0 on n1 (zone A) and task 1 on
        // n3 (zone B, 0.3 + 0.2 x utilisation). Task 0 ran 1 h at 0.5, task 1 ran 2 h at 0.5 (0.4 kWh per hour).
        String places = "[{\"node\":\"n1\",\"zone\":\"A\",\"a\":0.2,\"b\":0.6,\"c\":1.0},"
                + "{\"node\":\"n3\",\"zone\":\"B\",\"a\":0.3,\"b\":0.2,\"c\":0.5}]";
        JobArrivalRecord g = new JobArrivalRecord(1L, "g", "t", "test", h(1), h(1), h(1), 2, 1, places, "[]",
                null, null, null);
        JobArrivalRecord more = new JobArrivalRecord(2L, "more", "t", "test", h(1), h(1), h(1), 1, 1, N1, "[]",
                null, null, null);
        List<TaskRun> rows = List.of(new TaskRun("g", 0, h(2), 1, 0.5, 0.5, 0.05, 1.05),
                new TaskRun("g", 1, h(2), 2, 1.0, 0.8, 0.2, 1.08),
                new TaskRun("more", 0, h(2), 1, 0.5, 0.5, 0.05, 1.05),
                new TaskRun("more", 1, h(2), 1, 0.5, 0.5, 0.05, 1.05)); // ran a task it did not arrive with
        Savings.Result r = Savings.compute(h(1), h(12), List.of(g, more), rows, zones(true));
        assertThat(r.jobs()).isEqualTo(1);
        assertThat(r.notCounted()).containsExactlyEntriesOf(java.util.Map.of("tasksUnlikeArrival", 1));
        // Task 0 on n1 from 1:00 for 1 h: 0.5 kWh at 300 = 0.15 kg; task 1 on n3 for 2 h: 0.8 kWh at 250 = 0.2 kg.
        assertThat(r.counterfactual().energyKWh()).isCloseTo(1.3, within(1e-12));
        assertThat(r.counterfactual().co2eKg()).isCloseTo(0.35, within(1e-12));
        // Cost: 0.5 kWh x 100 + 0.8 kWh x 50 per MWh, plus 1 h x 1 USD and 2 h x 0.5 USD.
        assertThat(r.counterfactual().costUsd()).isCloseTo(0.05 + 0.04 + 1 + 1, within(1e-12));
        assertThat(r.actual().co2eKg()).isCloseTo(0.25, within(1e-12));
        // No window and no other node: the bound is the counterfactual; the delay one hour.
        assertThat(r.perfectForesight().co2eKg()).isCloseTo(0.35, within(1e-12));
        assertThat(r.delayHoursTotal()).isCloseTo(1.0, within(1e-9));
    }
}
