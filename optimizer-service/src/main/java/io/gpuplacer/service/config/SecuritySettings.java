package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code gpuplacer.security.*}.
 *
 * @param jwtLeewaySeconds   clock skew allowed on a JWT's {@code exp} and {@code nbf} (0..3600)
 * @param clientCertificates the scheduler role for client certificates of one issuer
 */
@ConfigurationProperties("gpuplacer.security")
public record SecuritySettings(
        @Bindable(defaultValue = "60")
        @Min(value = 0, message = "gpuplacer.security.jwt-leeway-seconds (GPUPLACER_SECURITY_JWT_LEEWAY_SECONDS) "
                + "must be 0..3600")
        @Max(value = 3600, message = "gpuplacer.security.jwt-leeway-seconds (GPUPLACER_SECURITY_JWT_LEEWAY_SECONDS) "
                + "must be 0..3600")
        long jwtLeewaySeconds,
        ClientCertificates clientCertificates) {

    /**
     * {@code gpuplacer.security.client-certificates.*}.
     *
     * @param enabled a client certificate of {@code issuer} (checked against the trust store) is the scheduler role
     * @param issuer  the issuing CA's subject, e.g. {@code CN=scheduler-ca}
     */
    @ConfigurationProperties("client-certificates")
    public record ClientCertificates(@Bindable(defaultValue = "false") boolean enabled,
                                     @Bindable(defaultValue = "") String issuer) {
    }
}
