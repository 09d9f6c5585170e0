package io.gpuplacer.service.persistence;

import io.gpuplacer.service.config.DatabaseSettings;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded H2 database's files hold token hashes and every state the service kept: owner-only, as the admin
 * token is. The folder is made {@code rwx------} and the database's files {@code rw-------} once the datasource
 * (and its migration) has opened them. MySQL keeps its own files; nothing is done then.
 */
@Context
public class EmbeddedDatabaseFiles {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseFiles.class);
    private static final Pattern H2_FILE = Pattern.compile("^jdbc:h2:(?:file:)?([^;:][^;]*)");

    public EmbeddedDatabaseFiles(DataSource opened, DatabaseSettings database) {
        Path base = baseOf(database.url());
        if (base != null) {
            restrict(base);
        }
    }

    /** The database's base path ({@code ./data/gpuplacer} for {@code jdbc:h2:file:./data/gpuplacer;...}), or null. */
    static Path baseOf(String url) {
        if (url.startsWith("jdbc:h2:mem:") || url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:")) {
            return null;
        }
        Matcher m = H2_FILE.matcher(url);
        return m.find() ? Path.of(m.group(1).replaceFirst("^~", System.getProperty("user.home"))) : null;
    }

    static void restrict(Path base) {
        Path dir = base.toAbsolutePath().getParent();
        String prefix = base.getFileName().toString() + ".";
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> p.getFileName().toString()
                    .startsWith(prefix))) {
                for (Path f : files) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("the embedded database's files under {} could not be made owner-only ({})", dir, e.toString());
        }
    }
}
