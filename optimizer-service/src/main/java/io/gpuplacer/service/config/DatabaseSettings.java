package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The database Micronaut's data source opens ({@code datasources.default.*}), as the parts of the service that
 * open a connection of their own read it (the leader's lock session) or guard its files (the embedded database).
 *
 * @param url      the JDBC URL
 * @param username the user (may be empty)
 * @param password the password (may be empty); never logged
 */
@ConfigurationProperties("datasources.default")
public record DatabaseSettings(String url, @Bindable(defaultValue = "") String username,
                               @Bindable(defaultValue = "") String password) {

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", username=" + username + "]";
    }
}
