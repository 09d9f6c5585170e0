package io.gpuplacer.service.signals;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sources file for the command line, in the service's own shape ({@code gpuplacer: signals: sources: [...]}) or
 * bare ({@code sources: [...]}), YAML or JSON (JSON is YAML); {@code ${NAME}} takes the environment variable, as in
 * the service's configuration ({@code ${NAME:default}} when it may be unset).
 */
public final class SourcesFile {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?}");

    private SourcesFile() {
    }

    public static List<SourceSpec> read(Path file, UnaryOperator<String> environment) {
        Object root;
        try {
            String text = substitute(Files.readString(file), environment, file);
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": not YAML or JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
        Object list = root instanceof Map<?, ?> top ? top.get("sources") : null;
        String prefix = "sources";
        if (list == null && root instanceof Map<?, ?> top && top.get("gpuplacer") instanceof Map<?, ?> g
                && g.get("signals") instanceof Map<?, ?> s) {
            list = s.get("sources");
            prefix = "gpuplacer.signals.sources";
        }
        if (!(list instanceof List<?> entries)) {
            throw new IllegalArgumentException(file + ": needs a list \"sources\" (or gpuplacer.signals.sources)");
        }
        try {
            return SourceSpec.parseAll(prefix, entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static String substitute(String text, UnaryOperator<String> environment, Path file) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw new IllegalArgumentException(file + ": ${" + m.group(1) + "} is not set in the environment");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
