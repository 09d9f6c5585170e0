package io.gpuplacer.service.security;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.persistence.ApiTokenRepository;
import io.micronaut.data.exceptions.DataAccessException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokensTest {

    /** Another replica inserts the same name between this one's check and its insert. */
    @Test
    void aNameTakenBetweenTheCheckAndTheInsertIsBadInputNamingTheField() {
        AtomicInteger checks = new AtomicInteger();
        ApiTokenRepository repository = (ApiTokenRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ApiTokenRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "existsById" -> checks.incrementAndGet() > 1; // free when checked, taken after the insert
                    case "save" -> throw new DataAccessException("Duplicate entry 'ci' for key 'PRIMARY'");
                    case "findAll" -> List.of();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ApiTokens tokens = new ApiTokens(repository, Clock.systemUTC());
        assertThatThrownBy(() -> tokens.create("ci", Roles.REPORTER, null, "test"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.getMessage()).contains("exists").doesNotContain("Duplicate entry");
                });
    }
}
