package io.gpuplacer.service.security;

import io.micronaut.http.ssl.ServerSslConfiguration;
import io.gpuplacer.service.config.SecuritySettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import io.micronaut.context.annotation.Context;
import org.reactivestreams.Publisher;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler cannot send a bearer token to an extender (its extender configuration has TLS settings only): a
 * client certificate that the TLS handshake verified against the configured CA ({@code micronaut.server.ssl
 * .trust-store}, {@code client-authentication: want}) authenticates as the {@code scheduler} role, named by its
 * subject's CN. Opt-in with {@code gpuplacer.security.client-certificates.enabled}, and only with a trust store
 * configured and {@code gpuplacer.security.client-certificates.issuer} naming the CA (its subject, e.g.
 * {@code CN=scheduler-ca}): the handshake accepts whatever any trusted CA signed (the JDK's public CAs when no trust
 * store is set), and only certificates of that issuer get the role. Give the scheduler a CA of its own, since every
 * certificate it signs gets the role. A bearer token, when the request has one, comes first.
 */
@Context // built at start, so that a missing trust store or issuer stops it
@Requires(property = "gpuplacer.security.client-certificates.enabled", value = "true")
public class ClientCertificateFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    private final X500Principal issuer;

    public ClientCertificateFetcher(SecuritySettings settings, ServerSslConfiguration ssl) {
        String issuer = settings.clientCertificates().issuer();
        if (ssl.getTrustStore().getPath().filter(p -> !p.isBlank()).isEmpty()) {
            throw new IllegalStateException("gpuplacer.security.client-certificates.enabled needs a trust store of "
                    + "the scheduler's CA (micronaut.server.ssl.trust-store.path); none is set");
        }
        if (issuer.isBlank()) {
            throw new IllegalStateException("gpuplacer.security.client-certificates.issuer "
                    + "(GPUPLACER_SECURITY_CLIENT_CERTIFICATES_ISSUER) must name the CA whose certificates are the "
                    + "scheduler role, as its subject (e.g. CN=scheduler-ca); none is set");
        }
        try {
            this.issuer = new X500Principal(issuer);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("gpuplacer.security.client-certificates.issuer: '" + issuer
                    + "' is not a distinguished name (e.g. CN=scheduler-ca,O=example)");
        }
    }

    @Override
    public int getOrder() {
        return TokenAuthenticationFetcher.ORDER + 100;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return request.getCertificate().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                .filter(cert -> issuer.equals(cert.getIssuerX500Principal()))
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
