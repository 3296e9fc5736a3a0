package org.mediasec.h248.message;

import java.util.Optional;

/**
 * One item of {@code ContextAudit { … }} (Annex B indAudcontextAttrDescriptor): Topology, Priority, Emergency,
 * IEPSCall, or (v3) a context property name.
 */
public record ContextAuditItem(Kind kind, Optional<PackageItem> property) {

    public enum Kind { TOPOLOGY, PRIORITY, EMERGENCY, IEPS, PROPERTY }

    public ContextAuditItem {
        if ((kind == Kind.PROPERTY) != property.isPresent()) {
            throw new IllegalArgumentException("a property name goes with kind PROPERTY only");
        }
    }

    public static ContextAuditItem of(Kind kind) {
        return new ContextAuditItem(kind, Optional.empty());
    }
}
