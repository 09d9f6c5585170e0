package io.gpuplacer.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;
import java.time.Duration;

/**
 * {@code gpuplacer.slurm.*}: the Slurm cluster the service reads through slurmrestd (docs/slurm.md). The GRES types'
 * GPU models are a list of their own ({@link SlurmGpuType}); power and price facts per GPU model come from
 * {@code gpuplacer.kubernetes.node-types} ({@code type} = the GPU model, or {@code *}).
 *
 * @param enabled      read the cluster through slurmrestd every {@code poll}; the leader puts each snapshot in force
 * @param url          slurmrestd's base address, http or https
 * @param user         the Slurm user the token is for ({@code X-SLURM-USER-NAME})
 * @param token        a JWT from {@code scontrol token} (secret; or {@code token-file})
 * @param tokenFile    a file holding the JWT, read again before every call, so that a job renewing it (scontrol
 *                     token on a timer) takes effect without a restart
 * @param apply        carry actions out; off: recorded as DRY_RUN, nothing is sent
 * @param zone         the grid zone the cluster's nodes draw power in
 * @param pue          the site's PUE (1..3)
 * @param poll         time between two reads of the cluster (1s..1h)
 * @param timeout      a call to slurmrestd that takes longer fails (1s..5m)
 * @param defaultHours how long a running job without a time limit is taken to run in all (0.1..8760)
 */
@ConfigurationProperties("gpuplacer.slurm")
public record SlurmSettings(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "") String url,
        @Bindable(defaultValue = "") String user,
        @Bindable(defaultValue = "") String token,
        @Bindable(defaultValue = "") String tokenFile,
        @Bindable(defaultValue = "false") boolean apply,
        @Bindable(defaultValue = "") String zone,
        @Bindable(defaultValue = "1.0") double pue,
        @Bindable(defaultValue = "30s") Duration poll,
        @Bindable(defaultValue = "10s") Duration timeout,
        @Bindable(defaultValue = "24") double defaultHours) {

    private static final String P = "gpuplacer.slurm.";

    public SlurmSettings {
        Durations.within(P + "poll", poll, "1s", "1h");
        Durations.within(P + "timeout", timeout, "1s", "5m");
        if (!(pue >= 1 && pue <= 3)) {
            throw new IllegalArgumentException(wrong("pue", pue + "; must be 1..3"));
        }
        if (!(defaultHours >= 0.1 && defaultHours <= 8760)) {
            throw new IllegalArgumentException(wrong("default-hours", defaultHours + "; must be 0.1..8760"));
        }
        if (enabled) {
            URI address;
            try {
                address = URI.create(url);
            } catch (IllegalArgumentException e) {
                address = null;
            }
            if (address == null || address.getHost() == null
                    || !("http".equals(address.getScheme()) || "https".equals(address.getScheme()))) {
                throw new IllegalArgumentException(wrong("url", "\"" + url + "\"; must be slurmrestd's http or https "
                        + "address, e.g. http://slurmctld:6820"));
            }
            if (user.isBlank()) {
                throw new IllegalArgumentException(wrong("user", "missing; the Slurm user the token is for"));
            }
            if (token.isBlank() == tokenFile.isBlank()) {
                throw new IllegalArgumentException(P + "token (" + Durations.env(P + "token") + ") or " + P
                        + "token-file (" + Durations.env(P + "token-file") + "): exactly one must be set");
            }
            if (zone.isBlank()) {
                throw new IllegalArgumentException(wrong("zone", "missing; the grid zone of the cluster's nodes"));
            }
        }
    }

    private static String wrong(String key, String why) {
        return P + key + " (" + Durations.env(P + key) + "): " + why;
    }

    /** Without the token: settings are logged and shown. */
    @Override
    public String toString() {
        return "SlurmSettings[enabled=" + enabled + ", url=" + url + ", user=" + user + ", token="
                + (token.isBlank() ? "" : "(set)") + ", tokenFile=" + tokenFile + ", apply=" + apply + ", zone=" + zone
                + ", pue=" + pue + ", poll=" + poll + ", timeout=" + timeout + ", defaultHours=" + defaultHours + "]";
    }
}
