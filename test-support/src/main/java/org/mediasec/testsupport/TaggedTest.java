package org.mediasec.testsupport;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One test method that names requirements: its class and method, the requirement IDs of its tags, whether it is a
 * {@link WireTest}, its outcome over all its runs, and a note saying why when the outcome did not come from the
 * method itself (a skip reason, a failed class set-up).
 */
record TaggedTest(String testClass, String method, Set<String> requirements, boolean wire, Outcome outcome, String note) {

    TaggedTest {
        requirements = Collections.unmodifiableSortedSet(new TreeSet<>(requirements));
        note = note == null ? "" : note;
    }

    /** {@code class#method}: the key under which the runs of one method are combined. */
    String key() {
        return testClass + "#" + method;
    }

    /** The two runs of one method as one (see {@link Outcome#combine}); the note follows the outcome that counts. */
    TaggedTest combine(TaggedTest other) {
        Set<String> union = new TreeSet<>(requirements);
        union.addAll(other.requirements);
        Outcome combined = Outcome.combine(outcome, other.outcome);
        String reason = other.outcome == combined && !other.note.isEmpty() ? other.note : outcome == combined ? note : other.note;
        return new TaggedTest(testClass, method, union, wire || other.wire, combined, reason);
    }

    TaggedTest withOutcome(Outcome newOutcome, String newNote) {
        return new TaggedTest(testClass, method, requirements, wire, newOutcome, newNote);
    }
}
