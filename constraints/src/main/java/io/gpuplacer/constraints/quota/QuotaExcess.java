package io.gpuplacer.constraints.quota;

import io.gpuplacer.model.quota.CohortFlavor;

/**
 * How far one cohort and flavor breaks the quota rules with the tasks it counts: units x slots over the queues'
 * limits (Q1) and over what the cohort lends (Q2), and the first break of each, said in words; and units x slots of borrowing off the fair-share split. A value: equal
 * results let the score stream skip the update.
 */
public record QuotaExcess(CohortFlavor group, long queueUnits, String queueBreak, long cohortUnits,
                          String cohortBreak, long fairShareUnits) {
}
