package org.mediasec.it.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A harness's command line as {@code --name value} pairs over a table of defaults (every option has one): an odd
 * count or a name not in the table is refused with the names known. Values are read by kind; a value that is not of
 * its kind throws {@link NumberFormatException}, as {@link Integer#parseInt} does. Immutable.
 */
public final class NamedOptions {

    private final Map<String, String> values;

    private NamedOptions(Map<String, String> values) {
        this.values = values;
    }

    /** {@code args} over {@code defaults}; the defaults' keys are the only names accepted. */
    public static NamedOptions parse(Map<String, String> defaults, String... args) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come as --name value pairs: " + Arrays.toString(args));
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!defaults.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (known: " + defaults.keySet() + ")");
            }
            values.put(args[i], args[i + 1]);
        }
        return new NamedOptions(Map.copyOf(values));
    }

    public String text(String name) {
        return values.get(name);
    }

    public int number(String name) {
        return Integer.parseInt(text(name).trim());
    }

    /** A comma-separated list of whole numbers. */
    public List<Integer> numbers(String name) {
        return Arrays.stream(text(name).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    public double decimal(String name) {
        return Double.parseDouble(text(name));
    }

    public Duration seconds(String name) {
        return Duration.ofSeconds(Long.parseLong(text(name).trim()));
    }

    public Duration millis(String name) {
        return Duration.ofMillis(Long.parseLong(text(name).trim()));
    }

    public Path path(String name) {
        return Path.of(text(name));
    }
}
