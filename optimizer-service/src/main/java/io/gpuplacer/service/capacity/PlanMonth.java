package io.gpuplacer.service.capacity;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** One month of the plan: from {@code start} (the first month from the as-of instant) to {@code end}. */
record PlanMonth(YearMonth month, Instant start, Instant end) {

    int hours() {
        return (int) ChronoUnit.HOURS.between(start, end);
    }

    Instant middle() {
        return start.plus(hours() / 2, ChronoUnit.HOURS);
    }

    /** The plan's months from the as-of instant: the first from its hour, the rest whole. */
    static List<PlanMonth> of(Instant asOf, int count) {
        List<PlanMonth> out = new ArrayList<>();
        YearMonth first = YearMonth.from(asOf.atZone(ZoneOffset.UTC));
        for (int m = 0; m < count; m++) {
            YearMonth ym = first.plusMonths(m);
            Instant start = m == 0 ? asOf.truncatedTo(ChronoUnit.HOURS) : ym.atDay(1).atStartOfDay().toInstant(
                    ZoneOffset.UTC);
            out.add(new PlanMonth(ym, start, ym.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        return out;
    }
}
