package io.gpuplacer.service.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler cannot send a bearer token to an extender (its extender configuration has TLS settings only): a
 * client certificate that the TLS handshake verified against the configured CA ({@code micronaut.server.ssl
 * .trust-store}, {@code client-authentication: want}) authenticates as the {@code scheduler} role, named by its
 * subject's CN. Opt-in with {@code gpuplacer.security.client-certificates.enabled}: give the scheduler a CA of its
 * own, since every certificate that CA signs gets the role. A bearer token, when the request has one, comes first.
 */
@Singleton
@Requires(property = "gpuplacer.security.client-certificates.enabled", value = "true")
public class ClientCertificateFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    @Override
    public int getOrder() {
        return TokenAuthenticationFetcher.ORDER + 100;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return request.getCertificate().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                .map(cert -> Publishers.just(Authentication.build(Principals.cut("cert:" + commonName(cert)),
                        List.of(Roles.SCHEDULER), Map.of("via", "client-certificate"))))
                .orElseGet(Publishers::empty);
    }

    /** The subject's CN, else the whole subject. */
    static String commonName(X509Certificate cert) {
        String subject = cert.getSubjectX500Principal().getName();
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // the subject as written
        }
        return subject;
    }
}
