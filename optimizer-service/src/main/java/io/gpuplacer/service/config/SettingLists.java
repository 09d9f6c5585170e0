package io.gpuplacer.service.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configured lists, each entry read into its record in the order given: signal sources, the Kubernetes zones,
 * node types and GPU models, the embodied hardware and the GPUs' idle power. Keys are read in kebab case
 * ({@code provider-zone}) or camel case ({@code providerZone}); a value that does not read as its type, a key the
 * entries do not have and a record's own check stop the start, each named with the entry's place
 * ({@code gpuplacer.kubernetes.zones[1].pue}).
 * <p>
 * Not Micronaut's {@code @EachProperty}: it leaves camel-case keys of a list entry unbound and takes an unreadable
 * number as absent, in silence, and it does not keep the order of the entries.
 */
@Context
public class SettingLists {

    /** Each list's entry record (with a {@code LIST} constant naming the list and an {@code int index} first). */
    public static final List<Class<? extends Record>> LISTS = List.of(SignalSource.class, KubernetesZone.class,
            NodeType.class, GpuModelName.class, EmbodiedHardware.class, GpuIdlePower.class, SlurmGpuType.class);

    private final Map<Class<?>, List<?>> read = new LinkedHashMap<>();

    public SettingLists(Environment environment) {
        List<String> wrong = new ArrayList<>();
        for (Class<? extends Record> type : LISTS) {
            read.put(type, read(environment.getProperty(listOf(type), List.class).orElse(List.of()), type, wrong));
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException("settings that do not read: " + String.join("; ", wrong));
        }
    }

    public List<SignalSource> signalSources() {
        return of(SignalSource.class);
    }

    public List<KubernetesZone> zones() {
        return of(KubernetesZone.class);
    }

    public List<NodeType> nodeTypes() {
        return of(NodeType.class);
    }

    public List<GpuModelName> gpuModels() {
        return of(GpuModelName.class);
    }

    public List<SlurmGpuType> slurmGpuTypes() {
        return of(SlurmGpuType.class);
    }

    public List<EmbodiedHardware> embodiedHardware() {
        return of(EmbodiedHardware.class);
    }

    public List<GpuIdlePower> gpuIdleWatts() {
        return of(GpuIdlePower.class);
    }

    @SuppressWarnings("unchecked")
    private <R> List<R> of(Class<R> type) {
        return (List<R>) read.get(type);
    }

    /** The list a record is an entry of. */
    static String listOf(Class<?> type) {
        try {
            return (String) type.getField("LIST").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " names no LIST", e);
        }
    }

    /** The keys of an entry, as the configuration names them (without its index). */
    static List<String> keysOf(Class<?> type) {
        List<String> out = new ArrayList<>();
        RecordComponent[] components = type.getRecordComponents();
        for (int i = 1; i < components.length; i++) {
            out.add(kebab(components[i].getName()));
        }
        return out;
    }

    static <R extends Record> List<R> read(List<?> entries, Class<R> type, List<String> wrong) {
        String list = listOf(type);
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys = keysOf(type);
        List<R> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = list + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> given)) {
                wrong.add(where + ": must be a map of settings, not " + entries.get(i));
                continue;
            }
            Object[] values = new Object[components.length];
            values[0] = i;
            boolean reads = true;
            for (Map.Entry<?, ?> e : given.entrySet()) {
                String key = kebab(String.valueOf(e.getKey()));
                int at = keys.indexOf(key) + 1;
                if (at == 0) {
                    wrong.add(where + "." + key + ": not a setting of " + list + "; valid: " + String.join(", ", keys));
                    reads = false;
                    continue;
                }
                try {
                    values[at] = value(e.getValue(), components[at].getType());
                } catch (IllegalArgumentException bad) {
                    wrong.add(where + "." + key + ": " + bad.getMessage());
                    reads = false;
                }
            }
            if (reads) {
                try {
                    out.add(construct(type, components, values));
                } catch (IllegalArgumentException bad) {
                    wrong.add(bad.getMessage());
                }
            }
        }
        return List.copyOf(out);
    }

    private static Object value(Object given, Class<?> type) {
        if (given == null) {
            return null;
        }
        String text = given.toString().strip();
        if (type == String.class) {
            return text;
        }
        if (type == Boolean.class) {
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
            throw new IllegalArgumentException("\"" + text + "\" is not true or false");
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a number");
        }
    }

    private static <R> R construct(Class<R> type, RecordComponent[] components, Object[] values) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " is not a list entry record", e);
        }
    }

    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
