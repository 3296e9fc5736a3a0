package org.mediasec.h248.packages;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.traceability.Implements;

/**
 * The packages an MG profile supports, and the checks the gateway runs on every item of a request against them
 * (H.248.1 12; H.248.8 codes). Names compare case-insensitively, like all of the text encoding. A package that
 * extends another sees the other's items too (H.248.1 12.1.1).
 *
 * <p>Codes: unknown package 440 (for an event 512, for a signal 513: the MG cannot detect or generate it); a known
 * package without that item 450 (property), 451 (event), 452 (signal), 453 (statistic); an unknown parameter 446;
 * a value that does not fit the type 449 with the value in the text (TS 29.334 5.17.1); a mandatory parameter
 * missing 457; a property in a descriptor it is not defined for 455; writing a read-only property 534.
 */
@Implements("H248-5")
public final class PackageCatalogue {

    private final Map<String, PackageDefinition> packages;

    private PackageCatalogue(Map<String, PackageDefinition> packages) {
        this.packages = packages;
    }

    /** Every package mediasec defines. */
    public static PackageCatalogue standard() {
        return of(StandardPackages.all());
    }

    public static PackageCatalogue of(Collection<PackageDefinition> definitions) {
        Map<String, PackageDefinition> byName = new LinkedHashMap<>();
        for (PackageDefinition definition : definitions) {
            if (byName.put(definition.name().toLowerCase(Locale.ROOT), definition) != null) {
                throw new IllegalArgumentException("package " + definition.name() + " defined twice");
            }
        }
        for (PackageDefinition definition : definitions) {
            definition.extendsPackage().ifPresent(base -> {
                if (!byName.containsKey(base.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(definition.name() + " extends " + base + ", which is not in the catalogue");
                }
            });
        }
        return new PackageCatalogue(byName);
    }

    /** The subset with these package names: what one MG profile supports. */
    public PackageCatalogue only(String... names) {
        List<PackageDefinition> subset = new ArrayList<>();
        for (String name : names) {
            subset.add(lookup(name).orElseThrow(() -> new IllegalArgumentException("no package " + name)));
        }
        return of(subset);
    }

    public Optional<PackageDefinition> lookup(String name) {
        return Optional.ofNullable(packages.get(name.toLowerCase(Locale.ROOT)));
    }

    public Collection<PackageDefinition> packages() {
        return packages.values();
    }

    // ---- checks ---------------------------------------------------------------------------------------------

    /** A property set in a request ({@code pkg/name = value}) standing in {@code descriptor}. */
    public Optional<ItemRejection> checkProperty(PropertyParameter property, PackageDefinition.Descriptor descriptor) {
        String[] name = split(property.name());
        if (name == null) {
            return reject(ErrorCode.UNSUPPORTED_PROPERTY, "property without a package: " + property.name());
        }
        Optional<PackageDefinition> definition = lookup(name[0]);
        if (definition.isEmpty()) {
            return reject(ErrorCode.UNSUPPORTED_PACKAGE, "unsupported package " + name[0] + " (" + property.name() + ")");
        }
        Optional<PackageDefinition.Item> item = find(definition.get(), name[1], PackageDefinition::properties);
        if (item.isEmpty()) {
            return reject(ErrorCode.NO_SUCH_PROPERTY, "no property " + property.name());
        }
        if (item.get().readOnly()) {
            return reject(ErrorCode.ILLEGAL_WRITE_OR_READ_ONLY_PROPERTY, property.name() + " is read-only");
        }
        if (!item.get().where().isEmpty() && !item.get().where().contains(descriptor)) {
            return reject(ErrorCode.PROPERTY_ILLEGAL_IN_DESCRIPTOR, property.name() + " is not allowed in " + descriptor);
        }
        return checkValue(property.name(), property.value(), item.get().type());
    }

    /** An event requested in an Events descriptor, with its parameters. */
    public Optional<ItemRejection> checkEvent(String name, List<PropertyParameter> parameters) {
        return checkWithParameters(name, parameters, PackageDefinition::events, ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_DETECT_EVENT, ErrorCode.NO_SUCH_EVENT, "event");
    }

    /** A signal in a Signals descriptor, with its package-defined parameters. */
    public Optional<ItemRejection> checkSignal(String name, List<PropertyParameter> parameters) {
        return checkWithParameters(name, parameters, PackageDefinition::signals, ErrorCode.MEDIA_GATEWAY_UNEQUIPPED_TO_GENERATE_SIGNAL, ErrorCode.NO_SUCH_SIGNAL, "signal");
    }

    /** A statistic asked for or reported. */
    public Optional<ItemRejection> checkStatistic(String name) {
        String[] parts = split(name);
        if (parts == null) {
            return reject(ErrorCode.NO_SUCH_STATISTIC, "statistic without a package: " + name);
        }
        Optional<PackageDefinition> definition = lookup(parts[0]);
        if (definition.isEmpty()) {
            return reject(ErrorCode.UNSUPPORTED_PACKAGE, "unsupported package " + parts[0] + " (" + name + ")");
        }
        if (parts[1].equals("*")) {
            return Optional.empty();
        }
        return find(definition.get(), parts[1], PackageDefinition::statistics).isPresent() ? Optional.empty()
                : reject(ErrorCode.NO_SUCH_STATISTIC, "no statistic " + name);
    }

    private Optional<ItemRejection> checkWithParameters(String name, List<PropertyParameter> parameters,
            java.util.function.Function<PackageDefinition, List<PackageDefinition.Item>> items, ErrorCode unknownPackage, ErrorCode unknownItem, String kind) {
        String[] parts = split(name);
        if (parts == null) {
            return reject(unknownItem, kind + " without a package: " + name);
        }
        Optional<PackageDefinition> definition = lookup(parts[0]);
        if (definition.isEmpty()) {
            return reject(unknownPackage, "unsupported package " + parts[0] + " (" + name + ")");
        }
        if (parts[1].equals("*")) {
            return Optional.empty();
        }
        Optional<PackageDefinition.Item> item = find(definition.get(), parts[1], items);
        if (item.isEmpty()) {
            return reject(unknownItem, "no " + kind + " " + name);
        }
        for (PropertyParameter parameter : parameters) {
            Optional<PackageDefinition.Parameter> known = item.get().parameters().stream()
                    .filter(p -> p.name().equalsIgnoreCase(parameter.name())).findFirst();
            if (known.isEmpty()) {
                return reject(ErrorCode.UNSUPPORTED_PARAMETER, "no parameter " + parameter.name() + " of " + kind + " " + name);
            }
            Optional<ItemRejection> value = checkValue(name + "/" + parameter.name(), parameter.value(), known.get().type());
            if (value.isPresent()) {
                return value;
            }
        }
        for (PackageDefinition.Parameter expected : item.get().parameters()) {
            if (expected.mandatory() && parameters.stream().noneMatch(p -> p.name().equalsIgnoreCase(expected.name()))) {
                return reject(ErrorCode.MISSING_PARAMETER, kind + " " + name + " needs parameter " + expected.name());
            }
        }
        return Optional.empty();
    }

    /** Every value of the property value (single, alternatives, range, sub-list) must fit the type. */
    private static Optional<ItemRejection> checkValue(String name, PropertyValue value, ValueType type) {
        List<String> values = switch (value) {
            case PropertyValue.Single single -> List.of(single.value());
            case PropertyValue.Alternatives alternatives -> alternatives.values();
            case PropertyValue.Range range -> List.of(range.low(), range.high());
            case PropertyValue.SubList list -> list.values();
        };
        for (String text : values) {
            Optional<String> problem = type.check(text);
            if (problem.isPresent()) {
                return reject(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, name + " = " + text + ": " + problem.get());
            }
        }
        return Optional.empty();
    }

    /** Looks in the package and, through {@code extends}, in its base packages. */
    private Optional<PackageDefinition.Item> find(PackageDefinition definition, String itemName,
            java.util.function.Function<PackageDefinition, List<PackageDefinition.Item>> items) {
        PackageDefinition current = definition;
        for (int depth = 0; current != null && depth < 8; depth++) {
            for (PackageDefinition.Item item : items.apply(current)) {
                if (item.name().equalsIgnoreCase(itemName)) {
                    return Optional.of(item);
                }
            }
            current = current.extendsPackage().flatMap(this::lookup).orElse(null);
        }
        return Optional.empty();
    }

    private static String[] split(String name) {
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1) {
            return null;
        }
        return new String[] {name.substring(0, slash), name.substring(slash + 1)};
    }

    private static Optional<ItemRejection> reject(ErrorCode code, String reason) {
        return Optional.of(new ItemRejection(code, reason));
    }
}
