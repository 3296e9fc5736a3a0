package org.mediasec.traceability;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one place in the code that carries out a requirement of {@code ../shared/REQUIREMENTS.md}: the class,
 * method, constructor or field a reader should open first to see how the requirement is met. The conformance report
 * ({@code docs/conformance.md}) collects these markers from the sources into its "code" column, so that from an ID a
 * reader reaches both its tests and its code in one hop.
 *
 * <p>One place per requirement; several only where the requirement really splits (a rule enforced in two
 * protocols). Mark where the decision is made, not every caller.
 *
 * <p>Source retention: the marker is read from the sources by the report generator and leaves nothing in the class
 * files; modules depend on this module with scope {@code provided}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface Implements {

    /** The requirement IDs, e.g. {@code "TLS-4"}; string literals (the report reads them from the source). */
    String[] value();
}
