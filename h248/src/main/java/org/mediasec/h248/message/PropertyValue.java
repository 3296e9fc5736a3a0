package org.mediasec.h248.message;

import java.util.List;

/**
 * Annex B: {@code parmValue = (EQUAL alternativeValue) / (INEQUAL VALUE)}, {@code alternativeValue = ( VALUE / LSBRKT
 * VALUE *(COMMA VALUE) RSBRKT / LSBRKT VALUE COLON VALUE RSBRKT / LBRKT VALUE *(COMMA VALUE) RBRKT)}. Values are
 * held without quotes; the writer quotes what is not made of SafeChars.
 */
public sealed interface PropertyValue {

    enum Relation {
        EQUAL("="),
        GREATER(">"),
        LESS("<"),
        NOT_EQUAL("#");

        private final String symbol;

        Relation(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** {@code = v}, {@code > v}, {@code < v}, {@code # v}. */
    record Single(Relation relation, String value) implements PropertyValue {
        public static Single equalTo(String value) {
            return new Single(Relation.EQUAL, value);
        }
    }

    /** {@code = [a, b, c]}: one of these (H.248.1 7.1.1 "alternatives"). */
    record Alternatives(List<String> values) implements PropertyValue {
        public Alternatives {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("empty alternatives");
            }
        }
    }

    /** {@code = [low : high]}. */
    record Range(String low, String high) implements PropertyValue {}

    /** {@code = {a, b}}: all of these (a sub-list). */
    record SubList(List<String> values) implements PropertyValue {
        public SubList {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("empty sub-list");
            }
        }
    }
}
