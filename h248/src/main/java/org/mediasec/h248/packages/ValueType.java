package org.mediasec.h248.packages;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The value types of H.248.1 12.1.4 (package items: boolean, integer, double, string, enumeration, octet string). */
public sealed interface ValueType {

    /** Why the value does not fit, or empty when it does. */
    Optional<String> check(String value);

    /** How the type is written in docs/h248-packages.md. */
    String describe();

    /** ON/OFF (H.248.1 12.1.4: boolean values are spelled ON and OFF in text). */
    record BooleanType() implements ValueType {
        public Optional<String> check(String value) {
            return value.equalsIgnoreCase("ON") || value.equalsIgnoreCase("OFF") ? Optional.empty() : Optional.of("expected ON or OFF");
        }

        public String describe() {
            return "boolean (ON/OFF)";
        }
    }

    record IntegerType(long min, long max) implements ValueType {
        public Optional<String> check(String value) {
            if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) {
                return Optional.of("expected an integer");
            }
            try {
                long number = Long.parseLong(value);
                return number < min || number > max ? Optional.of("expected " + min + " to " + max) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.of("expected an integer");
            }
        }

        public String describe() {
            return "integer " + min + "–" + max;
        }
    }

    record StringType() implements ValueType {
        public Optional<String> check(String value) {
            return Optional.empty();
        }

        public String describe() {
            return "string";
        }
    }

    /** One of a set of names, compared case-insensitively (the text encoding is case-insensitive). */
    record EnumerationType(List<String> values) implements ValueType {
        public EnumerationType {
            values = List.copyOf(values);
        }

        public Optional<String> check(String value) {
            String lower = value.toLowerCase(Locale.ROOT);
            return values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).equals(lower)) ? Optional.empty()
                    : Optional.of("expected one of " + String.join(", ", values));
        }

        public String describe() {
            return "enumeration: " + String.join(", ", values);
        }
    }

    /** Hex digits of a byte string of {@code minBytes} to {@code maxBytes} bytes. */
    record OctetStringType(int minBytes, int maxBytes) implements ValueType {
        public Optional<String> check(String value) {
            if (value.length() % 2 != 0 || !value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return Optional.of("expected hex digits, two per byte");
            }
            int bytes = value.length() / 2;
            return bytes < minBytes || bytes > maxBytes ? Optional.of("expected " + minBytes + " to " + maxBytes + " bytes") : Optional.empty();
        }

        public String describe() {
            return "octet string (hex), " + minBytes + "–" + maxBytes + " bytes";
        }
    }
}
