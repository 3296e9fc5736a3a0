package org.mediasec.h248.message;

/** Annex B: {@code ContextID = (UINT32 / "*" / "-" / "$")}. */
public sealed interface ContextId {

    Null NULL = new Null();
    Choose CHOOSE = new Choose();
    All ALL = new All();

    /** A context the MG created: 1 to 0xFFFFFFFE. */
    record Specific(long value) implements ContextId {
        public Specific {
            Values.uint32(value, "ContextID");
        }
    }

    /** {@code -}: outside any context (e.g. ServiceChange on ROOT, Notify on a NULL-context termination). */
    record Null() implements ContextId {}

    /** {@code $}: the MG creates a new context (H.248.1 6.1.1). */
    record Choose() implements ContextId {}

    /** {@code *}: every context. */
    record All() implements ContextId {}

    static ContextId of(long value) {
        return new Specific(value);
    }
}
