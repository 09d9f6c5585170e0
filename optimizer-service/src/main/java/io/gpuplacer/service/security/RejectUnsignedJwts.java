package io.gpuplacer.service.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;

/**
 * Micronaut's JWT validator takes an unsigned JWT ({@code "alg": "none"}) as verified when no signature
 * configuration exists, which is this service's default (no JWKS URL): anyone could then write themselves an admin
 * JWT. This configuration exists so that the list is never empty; it verifies nothing, so an unsigned JWT, or one
 * signed by a key no configured JWKS holds, is refused (401).
 */
@Singleton
public class RejectUnsignedJwts implements SignatureConfiguration {

    @Override
    public String supportedAlgorithmsMessage() {
        return "none (gpu-placer: only JWTs signed by a configured JWKS are accepted)";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return false;
    }

    @Override
    public boolean verify(SignedJWT jwt) {
        return false;
    }
}
