package org.mediasec.testsupport;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** A requirement or wire tag that the report cannot count where it stands: {@code where} is a class or class#method. */
record Misplaced(String where, Set<String> tags, String reason) {

    Misplaced {
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    }
}
