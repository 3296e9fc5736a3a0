package org.mediasec.ng;

import java.util.List;

/** A bencode list ({@code l...e}): values in order. */
public record NgList(List<NgValue> items) implements NgValue {

    public NgList {
        items = List.copyOf(items);
    }

    public static NgList of(NgValue... items) {
        return new NgList(List.of(items));
    }

    /** A list of strings, the shape of ng's {@code flags}, {@code replace} and {@code supports}. */
    public static NgList ofStrings(List<String> texts) {
        return new NgList(texts.stream().<NgValue>map(NgString::of).toList());
    }

    @Override
    public String kind() {
        return "a list";
    }

    @Override
    public String toString() {
        return items.toString();
    }
}
