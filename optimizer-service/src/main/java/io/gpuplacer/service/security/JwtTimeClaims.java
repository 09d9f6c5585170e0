package io.gpuplacer.service.security;

import io.gpuplacer.service.config.SecuritySettings;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/**
 * A JWT is accepted only inside its validity: it must carry {@code exp} (one without would never expire) and it is
 * refused before its {@code nbf}; both within {@code gpuplacer.security.jwt-leeway-seconds} (60 s) of clock skew.
 * Micronaut's own checks take a token without {@code exp} and do not read {@code nbf} unless told to.
 */
@Singleton
public class JwtTimeClaims<T> implements GenericJwtClaimsValidator<T> {

    private final Clock clock;
    private final long leewaySeconds;

    public JwtTimeClaims(Clock clock, SecuritySettings settings) {
        this.clock = clock;
        this.leewaySeconds = settings.jwtLeewaySeconds();
    }

    @Override
    public boolean validate(Claims claims, T request) {
        Instant now = clock.instant();
        Instant expires = instant(claims.get(Claims.EXPIRATION_TIME));
        if (expires == null || !now.isBefore(expires.plusSeconds(leewaySeconds))) {
            return false;
        }
        Instant notBefore = instant(claims.get(Claims.NOT_BEFORE));
        return notBefore == null || !now.plusSeconds(leewaySeconds).isBefore(notBefore);
    }

    /** A time claim as the parser gives it (a Date, or seconds since the epoch); null when absent or not a time. */
    static Instant instant(Object claim) {
        if (claim instanceof Date d) {
            return d.toInstant();
        }
        if (claim instanceof Instant i) {
            return i;
        }
        if (claim instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        return null;
    }
}
