package org.mediasec.h248.message;

import java.util.List;

/**
 * Annex B: {@code contextProperty = (topologyDescriptor / priority / EmergencyToken / EmergencyOffToken / iepsValue /
 * contextAttrDescriptor)}; IEPS and ContextAttr are version 3.
 */
public sealed interface ContextProperty {

    record Topology(TopologyDescriptor descriptor) implements ContextProperty {}

    /** {@code Priority = 0..15}. */
    record Priority(int priority) implements ContextProperty {
        public Priority {
            Values.uint16(priority, "Priority");
        }
    }

    /** {@code Emergency} (true) or {@code EmergencyOff} (false). */
    record Emergency(boolean on) implements ContextProperty {}

    /** {@code IEPSCall = ON|OFF} (v3). */
    record Ieps(boolean on) implements ContextProperty {}

    /** {@code ContextAttr { propertyParm, … }} (v3). */
    record ContextAttributes(List<PropertyParameter> properties) implements ContextProperty {
        public ContextAttributes {
            properties = List.copyOf(properties);
        }
    }
}
