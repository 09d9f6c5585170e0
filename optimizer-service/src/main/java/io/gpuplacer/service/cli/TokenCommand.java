package io.gpuplacer.service.cli;

import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.errors.NotFoundException;
import io.gpuplacer.service.audit.AuditedChange;
import io.gpuplacer.service.config.Modes;
import io.gpuplacer.service.security.ApiTokens;
import io.gpuplacer.service.security.Roles;
import io.micronaut.context.ApplicationContext;
import picocli.CommandLine;

import java.util.UUID;

/**
 * {@code token create|list|revoke}: API tokens on the service's database, configured exactly as {@code serve} is
 * (application.yml, {@code DATASOURCES_DEFAULT_URL}, ...), so they work on the database a running service uses.
 */
@CommandLine.Command(name = "token", header = "API tokens on the service's database: create, list, revoke.",
        description = "Works on the database 'serve' uses (DATASOURCES_DEFAULT_URL, else ./data), also while it "
                + "runs: a token made or revoked here takes effect in every running replica within "
                + "gpuplacer.sync-seconds (2 s).",
        synopsisSubcommandLabel = "<create|list|revoke>",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "token: create, list or revoke is required");
    }

    /** The service's database with its repositories, and none of its background work. */
    static ApplicationContext database() throws UsageException {
        return database("token", "make and revoke tokens over HTTP with the admin token (POST /v1/tokens, "
                + "DELETE /v1/tokens/NAME)");
    }

    /** The same for another command; {@code instead} says what to do over HTTP while 'serve' holds the file. */
    static ApplicationContext database(String command, String instead) throws UsageException {
        try {
            return ApplicationContext.builder().environments(Modes.TOOL).banner(false).start();
        } catch (RuntimeException e) {
            if (embeddedInUse(e)) {
                // H2 keeps its file to one process (its server mode would open an unprotected local port).
                throw new UsageException(command + ": the embedded database (./data) is in use by a running 'serve': "
                        + "stop it first, or " + instead + "; on MySQL both work at once");
            }
            throw e;
        }
    }

    private static boolean embeddedInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && (t.getMessage().contains("Database may be already in use")
                    || t.getMessage().contains("The file is locked"))) {
                return true;
            }
        }
        return false;
    }

    /** The author of a change made here: the command line and the operating-system user running it. */
    static String author() {
        return "command line (" + System.getProperty("user.name", "unknown") + ")";
    }

    /** Makes a change on the tokens in one transaction with its audit row. */
    static <R, E extends Exception> R audited(ApplicationContext context, String action, String name,
                                              AuditedChange.Change<R, E> change) throws E {
        return context.getBean(AuditedChange.class).writeAs(author(), "cli-" + UUID.randomUUID(), action, change,
                r -> "token " + name);
    }

    @CommandLine.Command(name = "create", header = "Make a token and print it (shown this once; stored hashed).")
    static final class Create extends Command {
        @CommandLine.Option(names = "--name", required = true, description = "Unique name, e.g. kube-scheduler; it "
                + "is the author of the changes made with the token.")
        String name;

        @CommandLine.Option(names = "--role", required = true, description = "One of: scheduler, operator, "
                + "reporter, admin.")
        String role;

        @CommandLine.Option(names = "--expires-days", description = "Days until it stops working (1..3650); "
                + "default: never.")
        Integer expiresDays;

        @Override
        int execute() throws UsageException, InputException {
            Roles.parse(role, "--role");
            if (expiresDays != null) {
                bounded("--expires-days", expiresDays, 1, 3650);
            }
            try (ApplicationContext context = database()) {
                ApiTokens tokens = context.getBean(ApiTokens.class);
                ApiTokens.Issued issued = audited(context, "token create", name,
                        () -> tokens.create(name, role, expiresDays, author()));
                out.println(issued.token());
                err.println("made token \"" + name + "\" (role " + role + (issued.info().expiresAt() == null ? ""
                        : ", expires " + issued.info().expiresAt()) + "); it is not shown again");
            }
            return 0;
        }
    }

    @CommandLine.Command(name = "list", header = "Every token: name, role, made by, made at, expires (never the "
            + "token).")
    static final class ListTokens extends Command {
        @Override
        int execute() throws UsageException {
            try (ApplicationContext context = database()) {
                out.println("name\trole\tcreated_by\tcreated_at\texpires_at");
                for (ApiTokens.TokenInfo t : context.getBean(ApiTokens.class).list()) {
                    out.println(t.name() + "\t" + t.role() + "\t" + t.createdBy() + "\t" + t.createdAt() + "\t"
                            + (t.expiresAt() == null ? "never" : t.expiresAt()));
                }
            }
            return 0;
        }
    }

    @CommandLine.Command(name = "revoke", header = "Delete a token: it stops working (within 2 s on running "
            + "replicas).")
    static final class Revoke extends Command {
        @CommandLine.Parameters(paramLabel = "NAME", description = "The token's name.")
        String name;

        @Override
        int execute() throws UsageException {
            try (ApplicationContext context = database()) {
                ApiTokens tokens = context.getBean(ApiTokens.class);
                audited(context, "token revoke", name, () -> tokens.revoke(name));
                err.println("revoked token \"" + name + "\"");
            } catch (NotFoundException e) {
                throw new UsageException("token revoke: " + e.getMessage());
            }
            return 0;
        }
    }
}
