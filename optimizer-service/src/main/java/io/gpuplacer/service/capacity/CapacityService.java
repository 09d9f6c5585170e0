package io.gpuplacer.service.capacity;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.service.config.CapacitySettings;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.errors.NotFoundException;
import io.gpuplacer.service.persistence.DemandHistoryReader;
import io.gpuplacer.service.state.ClusterState;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Capacity planning on the service's own data: the ledger's last {@code history-weeks} as the history (the same CSV
 * {@code report --format history} writes, read the same way), the cluster and signals in force as the fleet, and the
 * configured catalogue and growth, read and checked at the start (a file that does not read stops it, named).
 */
@Context
@Requires(notEnv = Modes.TOOL)
public class CapacityService {

    private final CapacitySettings settings;
    private final DemandHistoryReader ledger;
    private final ClusterState state;
    private final Clock clock;
    private final NodeCatalogue catalogue;
    private final Growth growth;

    public CapacityService(CapacitySettings settings, DemandHistoryReader ledger, ClusterState state, Clock clock) {
        this.settings = settings;
        this.ledger = ledger;
        this.state = state;
        this.clock = clock;
        try {
            this.catalogue = settings.catalogueFile().isBlank() ? null : NodeCatalogue.read(ProblemReader.parse(
                    Path.of(settings.catalogueFile())), "gpuplacer.capacity.catalogue-file " + settings.catalogueFile());
            this.growth = settings.growthFile().isBlank() ? Growth.NONE : Growth.read(ProblemReader.parse(
                    Path.of(settings.growthFile())), "gpuplacer.capacity.growth-file " + settings.growthFile());
        } catch (InputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The plan for the months ahead from the current hour. */
    public CapacityPlan plan(int months, Boolean pinZones) throws InputException {
        if (catalogue == null) {
            throw new NotFoundException("catalogue", "no capacity plan without a catalogue of node types to buy: set "
                    + "gpuplacer.capacity.catalogue-file (docs/capacity.md)");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.HOURS);
        String csv = HistoryCsv.of(ledger.rows(now.minus(7L * 24 * settings.historyWeeks(), ChronoUnit.HOURS), now));
        DemandHistory history;
        try {
            history = DemandHistory.read(new StringReader(csv), "the ledger's history");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InputException e) {
            throw new NotFoundException("history", "no capacity plan yet: the ledger has no hour of GPU demand in the "
                    + "last " + settings.historyWeeks() + " weeks (gpuplacer.capacity.history-weeks)");
        }
        ClusterState.Documents docs = state.documents();
        Fleet fleet = Fleet.read(docs.cluster(), docs.signals(), "the cluster in force");
        return CapacityPlanner.plan(new CapacityPlanner.Inputs(history, fleet, catalogue, growth, now, months,
                settings.carbonPrice(), pinZones != null && pinZones, Map.of(), docs.signals()));
    }
}
