package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** One change as the audit keeps it; {@code outcome} is the HTTP status it was answered with. */
@MappedEntity("audit_event")
public record AuditEventRecord(@Id @GeneratedValue @Nullable Long id, Instant at, String principal, String requestId,
                               String action, @Nullable String target, int outcome, @Nullable String detail) {
}
