package org.mediasec.ng;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** jqwik generators of ng values, shared by the property tests. */
public final class NgValues {

    private NgValues() {}

    /** Any text that has a UTF-8 form (unpaired surrogates become '?', as a round trip through UTF-8 makes them). */
    public static Arbitrary<String> text(int maxLength) {
        return Arbitraries.strings().all().ofMaxLength(maxLength)
                .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    /** Values nested at most {@code depth} deep; strings are any bytes when {@code utf8Only} is false. */
    public static Arbitrary<NgValue> values(int depth, boolean utf8Only) {
        Arbitrary<NgValue> leaf = Arbitraries.oneOf(
                Arbitraries.longs().map(NgInteger::new),
                strings(utf8Only));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<NgValue> child = values(depth - 1, utf8Only);
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(1, child.list().ofMaxSize(4).map(NgList::new)),
                Tuple.of(1, dictionaries(child, utf8Only)));
    }

    public static Arbitrary<NgValue> strings(boolean utf8Only) {
        return utf8Only
                ? text(40).map(NgString::of)
                : Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(NgString::new);
    }

    public static Arbitrary<NgValue> dictionaries(Arbitrary<NgValue> values, boolean utf8Only) {
        Arbitrary<NgString> keys = strings(utf8Only).map(NgString.class::cast);
        return Arbitraries.entries(keys, values).list().ofMaxSize(4).map(entries -> {
            Map<NgString, NgValue> map = new LinkedHashMap<>();
            List<Map.Entry<NgString, NgValue>> list = new ArrayList<>(entries);
            list.forEach(e -> map.putIfAbsent(e.getKey(), e.getValue()));
            return new NgDictionary(map);
        });
    }
}
