package io.gpuplacer.service.security;

import io.gpuplacer.service.persistence.ChangeWriter;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.errors.NotFoundException;
import io.gpuplacer.service.persistence.ApiTokenRecord;
import io.gpuplacer.service.persistence.ApiTokenRepository;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * API tokens: made random and shown once, kept as a SHA-256 hash with a name, role and optional expiry. Checked
 * against an in-memory copy (a request costs no database call, and tokens keep working while the database is
 * away), reloaded every few seconds so that a token made or revoked through another replica or the command line
 * takes effect here too.
 */
@Singleton
public class ApiTokens {

    /** Marks our tokens, so that they are told apart from JWTs at a glance (and by secret scanners). */
    public static final String PREFIX = "gpp_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final int MAX_EXPIRY_DAYS = 3650;
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);

    /** A token as listed: everything but the token. */
    public record TokenInfo(String name, String role, String createdBy, Instant createdAt, Instant expiresAt) {
        static TokenInfo of(ApiTokenRecord r) {
            return new TokenInfo(r.name(), r.role(), r.createdBy(), r.createdAt(), r.expiresAt());
        }
    }

    /** A new token: the only time the token itself is seen. */
    public record Issued(TokenInfo info, String token) {
    }

    private final ApiTokenRepository repository;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, TokenInfo> byHash = Map.of();
    private volatile boolean reloadFailing;

    private final ChangeWriter audited;

    /** Without the audit (tests of the tokens alone). */
    public ApiTokens(ApiTokenRepository repository, Clock clock) {
        this(repository, clock, ChangeWriter.DIRECT);
    }

    @jakarta.inject.Inject
    public ApiTokens(ApiTokenRepository repository, Clock clock, ChangeWriter audited) {
        this.repository = repository;
        this.clock = clock;
        this.audited = audited;
    }

    /** Makes a token; the name must be new. */
    public Issued create(String name, String role, Integer expiresDays, String createdBy) throws InputException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InputException("name", name, "name: " + (name == null ? "missing" : "\"" + name + "\"")
                    + "; expected 1..100 letters, digits or . _ @ - (starting with a letter or digit)");
        }
        Roles.parse(role, "role");
        if (expiresDays != null && (expiresDays < 1 || expiresDays > MAX_EXPIRY_DAYS)) {
            throw new InputException("expiresDays", expiresDays.toString(), "expiresDays: " + expiresDays
                    + " must be 1.." + MAX_EXPIRY_DAYS + " (or left out: no expiry)");
        }
        if (repository.existsById(name)) {
            throw nameTaken(name);
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ApiTokenRecord record = new ApiTokenRecord(name, role, hash(token), createdBy, now,
                expiresDays == null ? null : now.plus(Duration.ofDays(expiresDays)));
        try {
            audited.write(() -> repository.save(record), r -> "token " + name);
        } catch (DataAccessException e) {
            if (repository.existsById(name)) { // another replica made one of that name meanwhile
                throw nameTaken(name);
            }
            throw e;
        }
        reload();
        return new Issued(TokenInfo.of(record), token);
    }

    private static InputException nameTaken(String name) {
        return new InputException("name", name, "name: a token named \"" + name + "\" exists; revoke it first or "
                + "choose another name");
    }

    public List<TokenInfo> list() {
        return repository.findAllByName().stream().map(TokenInfo::of).toList();
    }

    /** Deletes a token: it stops working at once here, and within the reload period on other replicas. */
    public TokenInfo revoke(String name) {
        ApiTokenRecord record = repository.findById(name == null ? "" : name)
                .orElseThrow(() -> new NotFoundException(name, "no token named \"" + name + "\""));
        audited.write(() -> {
            repository.deleteById(record.name());
            return record;
        }, r -> "token " + r.name());
        reload();
        return TokenInfo.of(record);
    }

    public boolean none() {
        return repository.count() == 0;
    }

    /** The token's owner, if the token is one of ours and has not expired. */
    public Optional<TokenInfo> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        TokenInfo info = byHash.get(hash(token));
        if (info == null || (info.expiresAt() != null && !clock.instant().isBefore(info.expiresAt()))) {
            return Optional.empty();
        }
        return Optional.of(info);
    }

    @PostConstruct
    void load() {
        reload();
    }

    /** Reloads the in-memory copy; while the database is away the last copy stays in force. */
    @Scheduled(fixedDelay = "${gpuplacer.sync-seconds:2}s")
    public void reload() {
        try {
            byHash = repository.findAll().stream().collect(Collectors.toUnmodifiableMap(ApiTokenRecord::tokenHash,
                    TokenInfo::of, (a, b) -> a));
            if (reloadFailing) {
                LOG.info("API tokens reloaded from the database again");
            }
            reloadFailing = false;
        } catch (RuntimeException e) {
            if (!reloadFailing) {
                LOG.warn("cannot reload API tokens ({}); the {} known stay in force", e.getClass().getSimpleName(),
                        byHash.size());
            }
            reloadFailing = true;
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
