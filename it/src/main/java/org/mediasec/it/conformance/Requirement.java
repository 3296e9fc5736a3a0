package org.mediasec.it.conformance;

/** One row of the requirement catalogue: its ID (GW-1), its group heading, its text and its source. */
record Requirement(String id, String group, String text, String source) {}
