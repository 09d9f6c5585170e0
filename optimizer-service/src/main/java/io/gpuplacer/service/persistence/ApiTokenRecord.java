package io.gpuplacer.service.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** An API token as stored: its name, role and the SHA-256 of the token (never the token). */
@MappedEntity("api_token")
public record ApiTokenRecord(@Id String name, String role, String tokenHash, String createdBy, Instant createdAt,
                             @Nullable Instant expiresAt) {
}
