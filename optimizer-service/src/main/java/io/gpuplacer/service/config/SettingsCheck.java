package io.gpuplacer.service.config;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.core.convert.ConversionService;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads every setting as it was given and stops the start when one does not read as its type: Micronaut's binding
 * of a settings record takes the default in silence for a value it cannot convert ({@code window: 10 minutes},
 * {@code horizon-hours: abc}). Then makes each record, whose own checks (ranges) stop the start as well. The
 * configured lists are read and checked by {@link SettingLists}.
 */
@Context
public class SettingsCheck {

    /** The settings, each a record of one area. */
    public static final List<Class<? extends Record>> SETTINGS = List.of(ServiceSettings.class,
            ReplicaSettings.class, HttpSettings.class, SecuritySettings.class, SignalSettings.class,
            TelemetrySettings.class, KubernetesSettings.class, LedgerSettings.class, CapacitySettings.class,
            SlurmSettings.class);

    public SettingsCheck(Environment environment, ConversionService conversion, BeanContext beans) {
        List<String> wrong = new ArrayList<>();
        for (Class<? extends Record> settings : SETTINGS) {
            checkRecord(settings.getAnnotation(ConfigurationProperties.class).value(), settings, environment,
                    conversion, wrong);
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException("settings that do not read: " + String.join("; ", wrong));
        }
        // Made now, so that their ranges are checked at the start, not when a part that needs them first runs.
        SETTINGS.forEach(beans::getBean);
    }

    /** Every key of the settings and lists, as the configuration names them (lists as {@code list[].key}). */
    public static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (Class<? extends Record> settings : SETTINGS) {
            keys(settings.getAnnotation(ConfigurationProperties.class).value(), settings, out);
        }
        for (Class<? extends Record> entry : SettingLists.LISTS) {
            String list = SettingLists.listOf(entry);
            SettingLists.keysOf(entry).forEach(key -> out.add(list + "[]." + key));
        }
        return out;
    }

    private static void keys(String prefix, Class<?> settings, List<String> out) {
        for (RecordComponent c : settings.getRecordComponents()) {
            ConfigurationProperties nested = c.getType().getAnnotation(ConfigurationProperties.class);
            if (nested != null) {
                keys(prefix + "." + nested.value(), c.getType(), out);
            } else {
                out.add(prefix + "." + SettingLists.kebab(c.getName()));
            }
        }
    }

    private static void checkRecord(String prefix, Class<?> settings, Environment env, ConversionService conversion,
                                    List<String> wrong) {
        for (RecordComponent c : settings.getRecordComponents()) {
            ConfigurationProperties nested = c.getType().getAnnotation(ConfigurationProperties.class);
            if (nested != null) {
                checkRecord(prefix + "." + nested.value(), c.getType(), env, conversion, wrong);
                continue;
            }
            String key = prefix + "." + SettingLists.kebab(c.getName());
            Optional<Object> given = env.getProperty(key, Object.class);
            given.flatMap(value -> problem(value, c.getGenericType(), conversion))
                    .ifPresent(p -> wrong.add(key + " (" + Durations.env(key) + "): " + p));
        }
    }

    /** What is wrong with a value given for a setting of this type, if anything. */
    private static Optional<String> problem(Object value, Type type, ConversionService conversion) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Class<?> element = (Class<?>) p.getActualTypeArguments()[0];
            List<?> items = value instanceof List<?> l ? l : value.toString().isBlank() ? List.of()
                    : List.of(value.toString().split(","));
            for (Object item : items) {
                Optional<String> p1 = problem(item instanceof String s ? s.strip() : item, element, conversion);
                if (p1.isPresent()) {
                    return p1;
                }
            }
            return Optional.empty();
        }
        Class<?> target = wrapper((Class<?>) type);
        if (target == String.class || target.isInstance(value)) {
            return Optional.empty();
        }
        String text = value.toString().strip();
        boolean reads = target == Boolean.class ? text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
                : conversion.convert(text, target).isPresent();
        return reads ? Optional.empty() : Optional.of("\"" + text + "\" is not " + describe(target));
    }

    private static String describe(Class<?> type) {
        if (type == Duration.class) {
            return "a duration (like 500ms, 30s, 5m, 1h, 2d)";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        return type == Double.class ? "a number" : "a " + type.getSimpleName();
    }

    private static Class<?> wrapper(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return type == int.class ? Integer.class : type == long.class ? Long.class : type == double.class
                ? Double.class : type == boolean.class ? Boolean.class : type;
    }
}
