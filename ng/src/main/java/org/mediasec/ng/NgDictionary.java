package org.mediasec.ng;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bencode dictionary ({@code d...e}): string keys, each once, in the order received (rtpengine neither sends nor
 * expects the sorted order the bencode specification asks for; our encoders sort, so what we send is canonical).
 * Equality does not depend on the order.
 */
public record NgDictionary(Map<NgString, NgValue> entries) implements NgValue {

    public static final NgDictionary EMPTY = new NgDictionary(Map.of());

    public NgDictionary {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        entries.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new NullPointerException("dictionary entries have a key and a value");
            }
        });
    }

    /** The value under the key spelled exactly {@code key} (UTF-8). */
    public Optional<NgValue> get(String key) {
        return Optional.ofNullable(entries.get(NgString.of(key)));
    }

    public int size() {
        return entries.size();
    }

    /** Builds a dictionary in insertion order; a key given twice is a programming error. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String kind() {
        return "a dictionary";
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Not thread-safe: one builder per thread. */
    public static final class Builder {

        private final Map<NgString, NgValue> entries = new LinkedHashMap<>();

        private Builder() {}

        public Builder put(String key, NgValue value) {
            return put(NgString.of(key), value);
        }

        public Builder put(NgString key, NgValue value) {
            if (entries.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("key " + key + " given twice");
            }
            return this;
        }

        public Builder put(String key, String text) {
            return put(key, NgString.of(text));
        }

        public Builder put(String key, long value) {
            return put(key, new NgInteger(value));
        }

        public NgDictionary build() {
            return new NgDictionary(entries);
        }
    }
}
