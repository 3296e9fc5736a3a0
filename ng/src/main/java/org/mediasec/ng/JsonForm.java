package org.mediasec.ng;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of ng documents, which rtpengine accepts beside bencode and answers in kind. Read as rtpengine
 * converts it (its {@code bencode_convert_json}): objects become dictionaries, arrays lists, strings byte strings
 * (UTF-8), integers integers, {@code true}/{@code false} the integers 1/0; {@code null} and fractions have no
 * bencode form and are refused. The same limits as bencode apply ({@link NgLimits}); duplicate keys are refused.
 * The text must be well-formed UTF-8 (RFC 8259 8.1). Jackson's streaming parser only tokenises: the values,
 * limits and errors are ours. Thread-safe (the factory is).
 */
public final class JsonForm {

    /** No interning or canonical symbol tables for names that a peer chooses. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private final JsonParser parser;
    private final int offset;
    private final NgLimits limits;
    private int elements;

    private JsonForm(JsonParser parser, int offset, NgLimits limits) {
        this.parser = parser;
        this.offset = offset;
        this.limits = limits;
    }

    /** Reads the one JSON value that fills {@code input[offset, offset + length)}. */
    public static NgValue decode(byte[] input, int offset, int length, NgLimits limits) throws NgParseException {
        if (length > limits.maxMessageBytes()) {
            throw new NgParseException(offset + limits.maxMessageBytes(), NgParseError.TOO_LARGE,
                    "message longer than " + limits.maxMessageBytes() + " bytes");
        }
        String text = utf8(input, offset, length);
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonForm reader = new JsonForm(parser, offset, limits);
            NgValue value = reader.value(parser.nextToken(), 0);
            if (parser.nextToken() != null) {
                throw reader.error(NgParseError.TRAILING_DATA, "data after the JSON value");
            }
            return value;
        } catch (JsonEOFException e) {
            throw new NgParseException(offset + length, NgParseError.TRUNCATED, "JSON ends inside a value");
        } catch (JsonProcessingException e) {
            throw new NgParseException(offset + (int) Math.max(0, e.getLocation() == null ? 0 : e.getLocation().getCharOffset()),
                    NgParseError.INVALID_JSON, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory", e);
        }
    }

    /** Writes {@code value} as compact JSON, keys sorted; a string that is not UTF-8 has no JSON form. */
    public static byte[] encode(NgValue value) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(output)) {
            write(value, generator);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        return output.toByteArray();
    }

    private NgValue value(JsonToken token, int depth) throws IOException, NgParseException {
        if (token == null) {
            throw new NgParseException(offset, NgParseError.TRUNCATED, "no JSON value");
        }
        if (++elements > limits.maxElements()) {
            throw error(NgParseError.TOO_MANY_ELEMENTS, "more than " + limits.maxElements() + " values");
        }
        return switch (token) {
            case START_OBJECT -> object(depth + 1);
            case START_ARRAY -> array(depth + 1);
            case VALUE_STRING -> text(parser.getText());
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw error(NgParseError.INTEGER_OUT_OF_RANGE, "integer out of the 64-bit range");
                }
                yield new NgInteger(parser.getLongValue());
            }
            case VALUE_TRUE -> new NgInteger(1);
            case VALUE_FALSE -> new NgInteger(0);
            case VALUE_NULL, VALUE_NUMBER_FLOAT, VALUE_EMBEDDED_OBJECT -> throw error(NgParseError.UNSUPPORTED_JSON_VALUE,
                    "JSON " + parser.getText() + " has no bencode form");
            default -> throw error(NgParseError.INVALID_JSON, "unexpected " + token);
        };
    }

    private NgDictionary object(int depth) throws IOException, NgParseException {
        checkDepth(depth);
        Map<NgString, NgValue> entries = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                throw error(NgParseError.INVALID_JSON, "expected a member name");
            }
            if (++elements > limits.maxElements()) {
                throw error(NgParseError.TOO_MANY_ELEMENTS, "more than " + limits.maxElements() + " values");
            }
            NgString key = text(parser.currentName());
            NgValue value = value(parser.nextToken(), depth);
            if (entries.putIfAbsent(key, value) != null) {
                throw error(NgParseError.DUPLICATE_KEY, "duplicate member " + key);
            }
        }
        return new NgDictionary(entries);
    }

    private NgList array(int depth) throws IOException, NgParseException {
        checkDepth(depth);
        List<NgValue> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            items.add(value(token, depth));
        }
        return new NgList(items);
    }

    private NgString text(String text) throws NgParseException {
        try {
            return NgString.of(text);
        } catch (IllegalArgumentException unpairedSurrogate) {
            throw error(NgParseError.INVALID_JSON, "string with an unpaired surrogate escape");
        }
    }

    private void checkDepth(int depth) throws NgParseException {
        if (depth > limits.maxDepth()) {
            throw error(NgParseError.TOO_DEEP, "nesting deeper than " + limits.maxDepth());
        }
    }

    /** An error at the parser's position (a character offset: the same as the byte offset for ASCII text). */
    private NgParseException error(NgParseError error, String detail) {
        return new NgParseException(offset + (int) parser.currentTokenLocation().getCharOffset(), error, detail);
    }

    private static String utf8(byte[] input, int offset, int length) throws NgParseException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(input, offset, length);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new NgParseException(in.position(), NgParseError.INVALID_JSON, "JSON text is not UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static void write(NgValue value, JsonGenerator generator) throws IOException {
        switch (value) {
            case NgInteger integer -> generator.writeNumber(integer.value());
            case NgString string -> generator.writeString(jsonText(string));
            case NgList list -> {
                generator.writeStartArray();
                for (NgValue item : list.items()) {
                    write(item, generator);
                }
                generator.writeEndArray();
            }
            case NgDictionary dictionary -> {
                generator.writeStartObject();
                List<Map.Entry<NgString, NgValue>> entries = new ArrayList<>(dictionary.entries().entrySet());
                entries.sort(Map.Entry.comparingByKey());
                for (Map.Entry<NgString, NgValue> entry : entries) {
                    generator.writeFieldName(jsonText(entry.getKey()));
                    write(entry.getValue(), generator);
                }
                generator.writeEndObject();
            }
        }
    }

    private static String jsonText(NgString string) {
        return string.utf8().orElseThrow(() -> new IllegalArgumentException("string " + string + " is not UTF-8: it has no JSON form"));
    }
}
