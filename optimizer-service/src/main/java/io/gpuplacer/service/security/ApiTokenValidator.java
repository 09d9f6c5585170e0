package io.gpuplacer.service.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.order.Ordered;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.List;
import java.util.Map;

/**
 * Bearer tokens that are ours ({@code gpp_...}) become an authentication with the token's name and role; any other
 * bearer token is left to the JWT validator (OIDC, when a JWKS URL is configured).
 */
@Singleton
public class ApiTokenValidator<T> implements TokenValidator<T> {

    private final ApiTokens tokens;

    public ApiTokenValidator(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** First: an API token is known at once, without the JWT validator trying to parse it (and throwing). */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, T request) {
        return tokens.authenticate(token)
                .map(info -> Publishers.just(Authentication.build(info.name(), List.of(info.role()),
                        Map.of("via", "api-token"))))
                .orElseGet(Publishers::empty);
    }
}
