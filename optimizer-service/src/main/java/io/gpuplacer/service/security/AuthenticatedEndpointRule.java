package io.gpuplacer.service.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** Management endpoints marked sensitive (metrics for Prometheus) are open to any authenticated caller. */
@Singleton
@Replaces(SensitiveEndpointRule.class)
public class AuthenticatedEndpointRule extends SensitiveEndpointRule {

    public AuthenticatedEndpointRule(EndpointSensitivityProcessor endpointSensitivityProcessor) {
        super(endpointSensitivityProcessor);
    }

    @Override
    protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(HttpRequest<?> request,
                                                                        @Nullable Authentication authentication,
                                                                        ExecutableMethod<?, ?> method) {
        return Mono.just(authentication != null ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }
}
