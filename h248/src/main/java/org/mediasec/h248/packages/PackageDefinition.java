package org.mediasec.h248.packages;

import java.util.List;
import java.util.Optional;

/**
 * One H.248 package (H.248.1 12): text name, 16-bit ID, version, the package it extends, and its items.
 *
 * @param verified false where the names or IDs could not be checked against the Recommendation (see
 *     {@link TcpTlsPackageNames}); docs/h248-packages.md marks them
 */
public record PackageDefinition(
        String name, int id, int version, Optional<String> extendsPackage, List<Item> properties, List<Item> events,
        List<Item> signals, List<Item> statistics, boolean verified, String source) {

    public PackageDefinition {
        properties = List.copyOf(properties);
        events = List.copyOf(events);
        signals = List.copyOf(signals);
        statistics = List.copyOf(statistics);
    }

    /** Where a property may stand (H.248.1 12.1.2 "Defined in"). */
    public enum Descriptor { TERMINATION_STATE, LOCAL_CONTROL, CONTEXT_ATTRIBUTE }

    /** A parameter of an event or signal. */
    public record Parameter(String name, int id, ValueType type, boolean mandatory) {}

    /**
     * A property, event, signal or statistic. For properties {@code type} is the value type and {@code where} the
     * descriptors it may stand in; for events and signals {@code parameters} are what may follow in braces.
     */
    public record Item(String name, int id, ValueType type, List<Descriptor> where, boolean readOnly, List<Parameter> parameters) {
        public Item {
            where = List.copyOf(where);
            parameters = List.copyOf(parameters);
        }

        public static Item property(String name, int id, ValueType type, Descriptor... where) {
            return new Item(name, id, type, List.of(where), false, List.of());
        }

        public static Item readOnly(String name, int id, ValueType type, Descriptor... where) {
            return new Item(name, id, type, List.of(where), true, List.of());
        }

        public static Item withParameters(String name, int id, Parameter... parameters) {
            return new Item(name, id, new ValueType.StringType(), List.of(), false, List.of(parameters));
        }

        public static Item statistic(String name, int id, ValueType type) {
            return new Item(name, id, type, List.of(), true, List.of());
        }
    }
}
