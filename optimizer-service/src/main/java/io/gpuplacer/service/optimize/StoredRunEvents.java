package io.gpuplacer.service.optimize;

import io.gpuplacer.service.persistence.OptimizationRunRecord;
import io.gpuplacer.service.persistence.OptimizationRunRepository;
import io.micronaut.http.sse.Event;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The event stream of a run this replica does not solve: its stored record read every second, a "progress" event
 * for each checkpoint stored, then one named after its end. The owner's stream has every best solution; this one has
 * what the owner stored.
 */
final class StoredRunEvents {

    private final OptimizationRunRepository repository;

    StoredRunEvents(OptimizationRunRepository repository) {
        this.repository = repository;
    }

    Flux<Event<OptimizationView.Progress>> of(OptimizationRunRecord record) {
        if (!OptimizationService.SOLVING.equals(record.status())) {
            return Flux.just(event(record));
        }
        AtomicReference<String> shown = new AtomicReference<>();
        return Flux.interval(Duration.ZERO, Duration.ofSeconds(1), Schedulers.boundedElastic())
                .map(tick -> repository.findById(record.id()).orElse(record.finished(OptimizationService.FAILED, null,
                        null, "deleted", null)))
                .takeUntil(r -> !OptimizationService.SOLVING.equals(r.status()))
                .filter(r -> !OptimizationService.SOLVING.equals(r.status())
                        || r.score() != null && !r.score().equals(shown.get()))
                .map(r -> {
                    shown.set(r.score());
                    return event(r);
                })
                .onErrorResume(e -> Flux.empty()); // the database went away: the stream ends; the run goes on
    }

    private static Event<OptimizationView.Progress> event(OptimizationRunRecord r) {
        return Event.of(new OptimizationView.Progress(0, r.score(), 0, r.taskCount()))
                .name(OptimizationService.SOLVING.equals(r.status()) ? "progress" : r.status());
    }
}
