package org.mediasec.it.security;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What one scanner found on one endpoint, and how long it took. */
record Scan(String scanner, String endpoint, List<Finding> findings, Duration took) {

    Scan {
        findings = List.copyOf(findings);
    }

    List<Finding> mediumOrAbove() {
        return findings.stream().filter(f -> f.severity().mediumOrAbove()).toList();
    }

    List<Finding> with(Finding.Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }

    /** Findings counted by severity, every level present (for docs/security.md). */
    Map<Finding.Severity, Integer> bySeverity() {
        Map<Finding.Severity, Integer> counts = new EnumMap<>(Finding.Severity.class);
        for (Finding.Severity severity : Finding.Severity.values()) {
            counts.put(severity, with(severity).size());
        }
        return counts;
    }

    /** One line of figures: endpoint, scanner, counts by severity, seconds. */
    String figures() {
        StringBuilder line = new StringBuilder(endpoint + " | " + scanner);
        bySeverity().forEach((severity, count) -> line.append(" | ").append(count));
        return line.append(" | ").append(took.toSeconds()).append(" s").toString();
    }
}
