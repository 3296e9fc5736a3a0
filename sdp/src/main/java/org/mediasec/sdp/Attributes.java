package org.mediasec.sdp;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reading and rewriting of the {@code a=} lines of one level (session or media), shared by
 * {@link SessionDescription} and {@link MediaDescription}. Lines it does not know pass through unchanged.
 */
final class Attributes {
    // compiled once: every SDP parse checks these (String.matches and split compile their pattern each call)
    private static final Pattern OCTET_COUNT = Pattern.compile("[0-9]{1,18}");
    private static final Pattern BFCP_VERSIONS = Pattern.compile("[0-9]{1,9}( [0-9]{1,9})*");
    private static final Pattern FLOOR_CONTROL = Pattern.compile("(c-only|s-only|c-s)( (c-only|s-only|c-s))*");
    private static final Pattern SPACES = Pattern.compile(" +");


    private Attributes() {}

    static List<String> values(List<SdpLine> lines, String name) {
        List<String> values = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                values.add(line.attributeValue());
            }
        }
        return values;
    }

    static Optional<String> first(List<SdpLine> lines, String name) {
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                return Optional.of(line.attributeValue());
            }
        }
        return Optional.empty();
    }

    static boolean has(List<SdpLine> lines, String name) {
        return lines.stream().anyMatch(line -> line.isAttribute(name));
    }

    /** Lines without any {@code a=name}. */
    static List<SdpLine> without(List<SdpLine> lines, String name) {
        return lines.stream().filter(line -> !line.isAttribute(name)).toList();
    }

    /** Replaces the first {@code a=name} in place (others removed), or appends it at the end. */
    static List<SdpLine> with(List<SdpLine> lines, SdpLine replacement) {
        List<SdpLine> out = new ArrayList<>(lines.size() + 1);
        boolean placed = false;
        String name = replacement.attributeName();
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                if (!placed) {
                    out.add(replacement);
                    placed = true;
                }
            } else {
                out.add(line);
            }
        }
        if (!placed) {
            out.add(replacement);
        }
        return out;
    }

    /** Replaces all {@code a=name} lines with the given ones, at the place of the first (or at the end). */
    static List<SdpLine> withAll(List<SdpLine> lines, String name, List<SdpLine> replacements) {
        List<SdpLine> out = new ArrayList<>(lines.size() + replacements.size());
        boolean placed = false;
        for (SdpLine line : lines) {
            if (line.isAttribute(name)) {
                if (!placed) {
                    out.addAll(replacements);
                    placed = true;
                }
            } else {
                out.add(line);
            }
        }
        if (!placed) {
            out.addAll(replacements);
        }
        return out;
    }

    static Optional<Setup> setup(List<SdpLine> lines) {
        Optional<String> value = first(lines, "setup");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Setup.of(value.get()).orElseThrow(() -> invalid("setup", value.get(), "expected active, passive, actpass or holdconn")));
    }

    static Optional<ConnectionAttribute> connection(List<SdpLine> lines) {
        Optional<String> value = first(lines, "connection");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ConnectionAttribute.of(value.get()).orElseThrow(() -> invalid("connection", value.get(), "expected new or existing")));
    }

    static List<Fingerprint> fingerprints(List<SdpLine> lines) {
        List<Fingerprint> fingerprints = new ArrayList<>();
        for (String value : values(lines, "fingerprint")) {
            if (value.strip().equals("$")) {
                continue; // H.248: the MGC asks the MG for its fingerprint (CHOOSE)
            }
            String[] reason = new String[1];
            fingerprints.add(Fingerprint.parse(value, reason).orElseThrow(() -> invalid("fingerprint", value, reason[0])));
        }
        return fingerprints;
    }

    static List<KeyManagement> keyManagement(List<SdpLine> lines) {
        List<KeyManagement> keys = new ArrayList<>();
        for (String value : values(lines, "key-mgmt")) {
            String[] reason = new String[1];
            keys.add(KeyManagement.parse(value, reason).orElseThrow(() -> invalid("key-mgmt", value, reason[0])));
        }
        return keys;
    }

    /** Values the parser has validated cannot be invalid; one built by hand can, and is a programming error. */
    static IllegalArgumentException invalid(String name, String value, String reason) {
        return new IllegalArgumentException("a=" + name + ":" + value + ": " + reason);
    }

    /**
     * Checks the value of an attribute this module types (RFC 4145, 8122, 4567, 4975, 8856, TS 24.229); returns the
     * reason when it is bad, or null. Other attributes are not checked: they pass through as received.
     */
    static String check(SdpLine line, boolean h248) {
        String value = line.attributeValue();
        String[] reason = new String[1];
        switch (line.attributeName().toLowerCase(java.util.Locale.ROOT)) {
            case "setup" -> {
                return Setup.of(value).isPresent() ? null : "a=setup: expected active, passive, actpass or holdconn";
            }
            case "connection" -> {
                return ConnectionAttribute.of(value).isPresent() ? null : "a=connection: expected new or existing";
            }
            case "fingerprint" -> {
                if (h248 && value.strip().equals("$")) {
                    return null;
                }
                return Fingerprint.parse(value, reason).isPresent() ? null : "a=fingerprint: " + reason[0];
            }
            case "key-mgmt" -> {
                return KeyManagement.parse(value, reason).isPresent() ? null : "a=key-mgmt: " + reason[0];
            }
            case "max-size" -> {
                return OCTET_COUNT.matcher(value).matches() ? null : "a=max-size: expected a number of octets";
            }
            case "bfcpver" -> {
                return BFCP_VERSIONS.matcher(value).matches() ? null : "a=bfcpver: expected version numbers";
            }
            case "floorctrl" -> {
                return FLOOR_CONTROL.matcher(value).matches() ? null : "a=floorctrl: expected c-only, s-only or c-s";
            }
            case "3ge2ae" -> {
                return value.equals("requested") || value.equals("applied") ? null : "a=3ge2ae: expected requested or applied";
            }
            case "path" -> {
                if (h248 && value.strip().equals("$")) {
                    return null; // H.248: the MGC asks the MG for its own MSRP URI (CHOOSE), the MSRP-aware mode (GW-6)
                }
                return !value.isBlank() && java.util.Arrays.stream(SPACES.split(value.strip())).allMatch(uri -> uri.regionMatches(true, 0, "msrp", 0, 4))
                        ? null : "a=path: expected MSRP URIs separated by spaces";
            }
            default -> {
                return null;
            }
        }
    }
}
