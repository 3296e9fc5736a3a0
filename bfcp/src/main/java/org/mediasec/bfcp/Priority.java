package org.mediasec.bfcp;

/** PRIORITY values, the top three bits of the attribute's 16 (RFC 8855 5.2.4, table 3); 5 to 7 are reserved. */
public enum Priority {
    LOWEST, LOW, NORMAL, HIGH, HIGHEST;

    public int code() {
        return ordinal();
    }
}
