package org.mediasec.h248.message;

/** Annex B auditItem / auditReturnItem tokens: what an Audit descriptor asks for. */
public enum AuditItem {
    MEDIA("Media", "M"),
    MODEM("Modem", "MD"),
    MUX("Mux", "MX"),
    EVENTS("Events", "E"),
    SIGNALS("Signals", "SG"),
    DIGIT_MAP("DigitMap", "DM"),
    STATISTICS("Statistics", "SA"),
    OBSERVED_EVENTS("ObservedEvents", "OE"),
    EVENT_BUFFER("EventBuffer", "EB"),
    PACKAGES("Packages", "PG");

    private final String longToken;
    private final String shortToken;

    AuditItem(String longToken, String shortToken) {
        this.longToken = longToken;
        this.shortToken = shortToken;
    }

    public String longToken() {
        return longToken;
    }

    public String shortToken() {
        return shortToken;
    }
}
