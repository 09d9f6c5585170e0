package io.gpuplacer.service.security;

import io.gpuplacer.service.config.ServiceSettings;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.config.Modes;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The first start on a database with no tokens makes an admin token and writes it, owner-only, to
 * {@code admin.token} in the data folder; the log names the file, never the token. Replicas starting together on
 * an empty database race for the name "admin": one wins, the others find it taken and write nothing.
 */
@Context
@Requires(notEnv = Modes.TOOL)
public class AdminTokenBootstrap {

    public static final String NAME = "admin";
    public static final String FILE = "admin.token";
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenBootstrap.class);

    private final ApiTokens tokens;
    private final Path dataDir;

    public AdminTokenBootstrap(ApiTokens tokens, ServiceSettings settings) {
        this.tokens = tokens;
        this.dataDir = Path.of(settings.dataDir());
    }

    @PostConstruct
    void ensureAdmin() {
        if (!tokens.none()) {
            return;
        }
        ApiTokens.Issued issued;
        try {
            issued = tokens.create(NAME, Roles.ADMIN, null, "first start");
        } catch (InputException | RuntimeException e) {
            LOG.info("no API tokens at start, and the first could not be made here (another replica may have made "
                    + "it): {}", e.getMessage());
            return;
        }
        Path file;
        try {
            file = write(issued.token());
        } catch (UncheckedIOException e) {
            tokens.revoke(NAME); // a token nobody can read would lock everyone out at the next start
            throw e;
        }
        LOG.info("no API tokens: made token \"{}\" (role admin) and wrote it to {} (readable by its owner only); "
                + "use it as 'Authorization: Bearer <token>' and make others with 'token create'", NAME, file);
    }

    private Path write(String token) {
        try {
            Files.createDirectories(dataDir);
            Path temp = Files.createTempFile(dataDir, FILE, ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
            return Files.move(temp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE).toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first admin token to " + dataDir.resolve(FILE), e);
        }
    }
}
