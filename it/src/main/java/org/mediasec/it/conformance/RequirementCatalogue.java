package org.mediasec.it.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the requirement tables of REQUIREMENTS.md: {@code ## GW: …} headings and {@code | ID | text | source |} rows. */
final class RequirementCatalogue {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*([A-Z][A-Z0-9]*-[0-9]+)\\s*\\|(.*)\\|(.*)\\|\\s*$");
    private static final Pattern HEADING = Pattern.compile("^##\\s+(.*)$");

    private RequirementCatalogue() {}

    /** Requirements in document order, by ID. */
    static Map<String, Requirement> parse(String markdown) {
        Map<String, Requirement> requirements = new LinkedHashMap<>();
        String group = "";
        for (String line : markdown.split("\r?\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                group = heading.group(1).strip();
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                String id = row.group(1);
                if (requirements.containsKey(id)) {
                    throw new IllegalArgumentException("requirement " + id + " appears twice in the catalogue");
                }
                requirements.put(id, new Requirement(id, group, row.group(2).strip(), row.group(3).strip()));
            }
        }
        if (requirements.isEmpty()) {
            throw new IllegalArgumentException("no requirement rows (| ID | requirement | source |) found");
        }
        return requirements;
    }

    static List<String> groups(Map<String, Requirement> requirements) {
        List<String> groups = new ArrayList<>();
        for (Requirement requirement : requirements.values()) {
            if (!groups.contains(requirement.group())) {
                groups.add(requirement.group());
            }
        }
        return groups;
    }
}
