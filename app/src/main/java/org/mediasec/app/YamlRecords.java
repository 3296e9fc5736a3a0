package org.mediasec.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mediasec.app.GatewayCommand.ConfigError;

/**
 * Reads a YAML configuration file into a settings record: each mapping into a record whose components carry the
 * keys ({@link JsonProperty}), each sequence into a {@code List}, scalars into {@code String}, {@code Integer},
 * {@code Boolean} or {@code Double}; every key optional (an absent key, or {@code ~}, is {@code null}), unknown keys,
 * keys given twice, aliases, and a second document are errors that name the key
 * ({@code realms[0].adress: unknown key (known: [...])}) and the line.
 *
 * <p>Why not Jackson databind: binding the records by databind's introspection was 31 % of a gateway's CPU before
 * it registered (JFR, docs/performance.md "Configuration read without databind"), in every JVM the demo starts;
 * the settings are a handful of flat records that need none of its generality. The YAML itself is still read by
 * Jackson's YAML parser (SnakeYAML), as the ng module reads JSON with jackson-core's.
 */
final class YamlRecords {

    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9]{1,12}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]{1,12}(\\.[0-9]{0,12})?([eE][-+]?[0-9]{1,3})?");

    /** No configuration needs more: a bound against a file made to exhaust the parser. */
    private static final int MAX_DEPTH = 16;

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxStringLength(1 << 20).build()).build();

    private YamlRecords() {}

    /** The file's document bound to {@code type}; {@code null} when the file holds no document (or only {@code ~}). */
    static <R extends Record> R read(Path file, Class<R> type) throws ConfigError {
        try (JsonParser parser = FACTORY.createParser(file.toFile())) {
            return read(parser, type);
        } catch (IOException e) {
            throw new ConfigError(file.toString(), Optional.ofNullable(e.getMessage()).orElse("unreadable").lines().findFirst().orElse("unreadable"));
        }
    }

    /** As {@link #read(Path, Class)}, from text (tests). */
    static <R extends Record> R read(String yaml, Class<R> type) throws ConfigError {
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            return read(parser, type);
        } catch (IOException e) {
            throw new ConfigError("(text)", Optional.ofNullable(e.getMessage()).orElse("unreadable").lines().findFirst().orElse("unreadable"));
        }
    }

    private static <R extends Record> R read(JsonParser parser, Class<R> type) throws ConfigError, IOException {
        JsonToken first = next(parser, "(top)");
        if (first == null) {
            return null;
        }
        R value = type.cast(value(parser, type, "(top)"));
        if (next(parser, "(top)") != null) {
            throw error("(top)", "a second document " + at(parser) + "; one document only");
        }
        return value;
    }

    /** The value at the parser's current token, of {@code type}, at {@code key} (for errors). */
    private static Object value(JsonParser parser, Type type, String key) throws ConfigError, IOException {
        JsonToken token = parser.currentToken();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // an alias repeats a node: refused, so that no file expands into more than it says (an anchor alone is harmless)
            throw error(key, "alias *" + parser.getText() + " " + at(parser) + ": aliases are not supported");
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            return list(parser, list.getActualTypeArguments()[0], key);
        }
        if (type instanceof Class<?> recordType && recordType.isRecord()) {
            return record(parser, recordType, key);
        }
        if (type == String.class) {
            if (!token.isScalarValue()) {
                throw error(key, "expected a text, found " + found(token) + " " + at(parser));
            }
            return parser.getText();
        }
        if (type == Integer.class) {
            return integer(parser, key);
        }
        if (type == Boolean.class) {
            if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                return token == JsonToken.VALUE_TRUE;
            }
            if (token == JsonToken.VALUE_STRING && (parser.getText().equals("true") || parser.getText().equals("false"))) {
                return Boolean.valueOf(parser.getText()); // quoted, as the databind binding before it took it
            }
            throw error(key, "expected true or false, found " + found(token) + " " + at(parser));
        }
        if (type == Double.class) {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                try {
                    return parser.getDoubleValue();
                } catch (IOException e) {
                    throw error(key, "'" + parser.getText() + "' is not a number " + at(parser)); // .nan, .inf
                }
            }
            if (token == JsonToken.VALUE_STRING && DECIMAL.matcher(parser.getText()).matches()) {
                return Double.valueOf(parser.getText());
            }
            throw error(key, "expected a number, found " + found(token) + " " + at(parser));
        }
        throw new IllegalArgumentException("no YAML binding for " + type + " (" + key + ")"); // our bug: a settings record's type
    }

    private static Integer integer(JsonParser parser, String key) throws ConfigError, IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING && WHOLE.matcher(parser.getText()).matches()) {
            // a quoted "2944" too, as the databind binding before it took it
            try {
                return Integer.valueOf(parser.getText());
            } catch (NumberFormatException e) {
                throw error(key, parser.getText() + " is out of range " + at(parser));
            }
        }
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error(key, "expected a whole number, found " + found(parser.currentToken()) + " " + at(parser));
        }
        try {
            if (parser.getNumberType() != JsonParser.NumberType.INT) {
                throw error(key, parser.getText() + " is out of range " + at(parser));
            }
            return parser.getIntValue();
        } catch (IOException e) {
            throw error(key, "'" + parser.getText() + "' is not a whole number " + at(parser));
        }
    }

    private static List<Object> list(JsonParser parser, Type element, String key) throws ConfigError, IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw error(key, "expected a list, found " + found(parser.currentToken()) + " " + at(parser));
        }
        List<Object> values = new ArrayList<>();
        for (JsonToken token = inside(parser, key); token != JsonToken.END_ARRAY; token = inside(parser, key)) {
            String itemKey = key + "[" + values.size() + "]";
            Object item = value(parser, element, itemKey);
            if (item == null) {
                throw error(itemKey, "an empty item " + at(parser));
            }
            values.add(item);
        }
        return List.copyOf(values);
    }

    private static Object record(JsonParser parser, Class<?> type, String key) throws ConfigError, IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw error(key, "expected keys and values, found " + found(parser.currentToken()) + " " + at(parser));
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < components.length; i++) {
            // JsonProperty has no RECORD_COMPONENT target: it is carried to the accessor
            JsonProperty property = components[i].getAccessor().getAnnotation(JsonProperty.class);
            index.put(property != null ? property.value() : components[i].getName(), i);
        }
        Object[] values = new Object[components.length];
        boolean[] seen = new boolean[components.length];
        for (JsonToken token = inside(parser, key); token != JsonToken.END_OBJECT; token = inside(parser, key)) {
            String name = parser.currentName();
            String fieldKey = key.equals("(top)") ? name : key + "." + name;
            Integer position = index.get(name);
            if (position == null) {
                throw error(fieldKey, "unknown key (known: " + index.keySet() + ") " + at(parser));
            }
            if (seen[position]) {
                throw error(fieldKey, "given twice " + at(parser));
            }
            seen[position] = true;
            inside(parser, fieldKey);
            values[position] = value(parser, components[position].getGenericType(), fieldKey);
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw error(key, String.valueOf(e.getCause().getMessage()));
        } catch (ReflectiveOperationException bug) {
            throw new IllegalStateException("settings record " + type.getName() + " cannot be made", bug);
        }
    }

    /** The next token; the end of the text inside a mapping or sequence is the parser's error, so null only at the top. */
    private static JsonToken next(JsonParser parser, String key) throws ConfigError {
        try {
            return parser.nextToken();
        } catch (IOException e) {
            String problem = Optional.ofNullable(e instanceof JsonProcessingException syntax ? syntax.getOriginalMessage() : e.getMessage()).orElse("not YAML");
            String line = e instanceof JsonProcessingException syntax && syntax.getLocation() != null && syntax.getLocation().getLineNr() > 0
                    ? " (line " + syntax.getLocation().getLineNr() + ")" : "";
            throw error(key, problem.lines().findFirst().orElse(problem) + line);
        }
    }

    /** The next token inside a mapping or sequence: the text may not end there. */
    private static JsonToken inside(JsonParser parser, String key) throws ConfigError {
        JsonToken token = next(parser, key);
        if (token == null) {
            throw error(key, "the text ends inside it");
        }
        return token;
    }

    private static String found(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "keys and values";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            default -> token.toString();
        };
    }

    private static String at(JsonParser parser) {
        JsonLocation location = parser.currentTokenLocation();
        return "(line " + location.getLineNr() + ")";
    }

    private static ConfigError error(String key, String problem) {
        return new ConfigError(key, problem);
    }
}
