package org.mediasec.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Prints a value of the protocol model (records, sealed interfaces, lists, optionals) as an indented tree, one
 * component per line, for {@code mediasec h248 decode}. Works on any record, so it follows the model as it grows.
 */
final class ValueTreePrinter {

    private static final String INDENT = "  ";

    private ValueTreePrinter() {}

    static String print(Object value) {
        StringBuilder out = new StringBuilder();
        node(out, 0, value.getClass().getSimpleName(), value);
        return out.toString();
    }

    private static void node(StringBuilder out, int depth, String label, Object value) {
        if (value instanceof Optional<?> optional) {
            if (optional.isPresent()) {
                node(out, depth, label, optional.get());
            }
            return;
        }
        indent(out, depth).append(label);
        switch (value) {
            case null -> out.append(": -\n");
            case Record record -> {
                out.append(label.equals(record.getClass().getSimpleName()) ? "" : " (" + record.getClass().getSimpleName() + ")");
                RecordComponent[] components = record.getClass().getRecordComponents();
                if (components.length == 0) {
                    out.append('\n');
                    return;
                }
                out.append('\n');
                for (RecordComponent component : components) {
                    node(out, depth + 1, component.getName(), read(component, record));
                }
            }
            case Collection<?> list when list.isEmpty() -> out.append(": []\n");
            case Collection<?> list -> {
                out.append('\n');
                int index = 0;
                for (Object element : list) {
                    node(out, depth + 1, "[" + index++ + "]", element);
                }
            }
            case Map<?, ?> map -> {
                out.append('\n');
                map.forEach((key, element) -> node(out, depth + 1, String.valueOf(key), element));
            }
            case CharSequence text when text.toString().indexOf('\n') >= 0 -> {
                out.append(": |\n");
                for (String line : text.toString().split("\r?\n", -1)) {
                    indent(out, depth + 1).append(line).append('\n');
                }
            }
            case CharSequence text -> out.append(": \"").append(text).append("\"\n");
            case byte[] bytes -> out.append(": ").append(java.util.HexFormat.of().formatHex(bytes)).append('\n');
            default -> out.append(": ").append(value).append('\n');
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return "<" + e.getClass().getSimpleName() + ">";
        }
    }

    private static StringBuilder indent(StringBuilder out, int depth) {
        return out.append(INDENT.repeat(depth));
    }
}
