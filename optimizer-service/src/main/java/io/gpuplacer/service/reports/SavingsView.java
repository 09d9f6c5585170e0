package io.gpuplacer.service.reports;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code savings} object of an emission report: the figures of {@link Savings} and how they were reached. */
final class SavingsView {

    static final String METHOD = "For each job whose first ledger row starts in [from, to) and whose arrival the "
            + "service recorded (the first time it saw the job pending: an optimization's queue, a recommendation, a "
            + "pod the Kubernetes extender filtered or the gate held), on the state it arrived to: counterfactual = a "
            + "carbon-agnostic first fit (each task on the first node in cluster order that holds it, at the job's "
            + "earliest start, or at its arrival when later), each task run for the hours it ran at the utilisation "
            + "it ran at, energy attributed as in interchange v1.1 section 8 with the node's tasks at arrival, priced "
            + "by the intensity and price the ledger recorded for that zone and hour (an hour it did not record takes "
            + "the zone's nearest recorded hour, counted in estimatedShare). actual = the job's ledger rows, whole "
            + "(also past to, up to 7 days). saved = counterfactual - actual, never subtracted from the totals. "
            + "perfectForesight = per job the least CO2e over every start hour from its earliest to its latest start "
            + "(deadline - duration) and each task's least-emitting eligible node per zone, with the intensities that "
            + "came to be; jobs are taken one by one, ignoring each other's room, so it bounds what any schedule "
            + "could save. achievedShare = (counterfactual - actual) / (counterfactual - perfectForesight) of CO2e. "
            + "delayHours = actual start - counterfactual start (time shifting; snapshot resolution). Jobs started "
            + "outside any recorded arrival are not counted.";

    private SavingsView() {
    }

    static Map<String, Object> of(Savings.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("counterfactual", "first fit at earliest start, carbon-agnostic, on the state each job arrived to");
        m.put("jobs", r.jobs());
        m.put("notCounted", r.notCounted());
        m.put("actual", figures(r.actual()));
        m.put("asCounterfactual", figures(r.counterfactual()));
        m.put("saved", figures(r.saved()));
        m.put("perfectForesight", figures(r.perfectForesight()));
        m.put("achievedShare", r.achievedShare());
        Map<String, Object> delay = new LinkedHashMap<>();
        delay.put("total", r.delayHoursTotal());
        delay.put("mean", r.jobs() == 0 ? 0.0 : r.delayHoursTotal() / r.jobs());
        delay.put("max", r.delayHoursMax());
        m.put("delayHours", delay);
        m.put("estimatedShare", r.counterfactualEstimatedShare());
        m.put("method", METHOD);
        return m;
    }

    private static Map<String, Object> figures(Savings.Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("energyKWh", f.energyKWh());
        m.put("co2eKg", f.co2eKg());
        m.put("costUsd", f.costUsd());
        return m;
    }
}
