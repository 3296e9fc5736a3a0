package org.mediasec.h248.packages;

import java.util.List;
import java.util.stream.Collectors;

/** Writes docs/h248-packages.md from the catalogue, so the document cannot drift from the code. */
public final class PackageDocument {

    private PackageDocument() {}

    public static String render(PackageCatalogue catalogue) {
        StringBuilder out = new StringBuilder();
        out.append("# H.248 packages\n\n");
        out.append("Generated from `org.mediasec.h248.packages.PackageCatalogue.standard()` (a test checks it is current).\n");
        out.append("Packages marked **unverified** carry names or IDs that could not be checked against the Recommendation;\n");
        out.append("the TCP/TLS names all live in `TcpTlsPackageNames` so they can be corrected in one place.\n\n");
        out.append("Error codes (H.248.8) the gateway answers with: unknown package 440 (event 512, signal 513); unknown\n");
        out.append("property 450, event 451, signal 452, statistic 453; unknown parameter 446; value outside its type 449 (the\n");
        out.append("value is in the error text); missing mandatory parameter 457; property in the wrong descriptor 455;\n");
        out.append("read-only property written 534.\n");
        for (PackageDefinition definition : catalogue.packages()) {
            out.append("\n## ").append(definition.name()).append(String.format(" (0x%04x), version %d", definition.id(), definition.version()));
            out.append(definition.verified() ? "" : " — **unverified**").append("\n\n");
            out.append("Source: ").append(definition.source());
            definition.extendsPackage().ifPresent(base -> out.append("; extends `").append(base).append('`'));
            out.append("\n\n| kind | item | ID | type / parameters | where |\n|---|---|---|---|---|\n");
            rows(out, "property", definition.properties(), true);
            rows(out, "event", definition.events(), false);
            rows(out, "signal", definition.signals(), false);
            rows(out, "statistic", definition.statistics(), true);
        }
        return out.toString();
    }

    private static void rows(StringBuilder out, String kind, List<PackageDefinition.Item> items, boolean typed) {
        for (PackageDefinition.Item item : items) {
            out.append("| ").append(kind).append(" | `").append(item.name()).append("` | ").append(String.format("0x%04x", item.id())).append(" | ");
            if (typed) {
                out.append(item.type().describe()).append(item.readOnly() && kind.equals("property") ? ", read-only" : "");
            } else {
                out.append(item.parameters().isEmpty() ? "—" : item.parameters().stream()
                        .map(p -> "`" + p.name() + "`: " + p.type().describe() + (p.mandatory() ? " (mandatory)" : ""))
                        .collect(Collectors.joining("; ")));
            }
            out.append(" | ").append(item.where().isEmpty() ? "—" : item.where().stream().map(Enum::name).collect(Collectors.joining(", "))).append(" |\n");
        }
    }
}
