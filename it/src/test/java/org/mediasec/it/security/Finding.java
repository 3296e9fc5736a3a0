package org.mediasec.it.security;

/**
 * One finding of a TLS scanner about one endpoint: which scanner, its check ID, its severity and its words.
 *
 * @param id testssl.sh's JSON {@code id}, or for sslscan the XML element and what it names ({@code protocol TLSv1.0},
 *     {@code cipher TLSv1.2 ECDHE-ECDSA-AES128-SHA}, …)
 */
record Finding(String scanner, String id, Severity severity, String text) {

    /**
     * testssl.sh's severity levels (its {@code --severity} option and JSON), in rising order; sslscan has none of its
     * own, so {@link SslScan} maps its XML onto these. DEBUG is a remark of the scanner's; WARN is no grade: the scanner
     * could not test something.
     */
    enum Severity {
        DEBUG, OK, INFO, LOW, MEDIUM, HIGH, CRITICAL, WARN;

        boolean mediumOrAbove() {
            return this == MEDIUM || this == HIGH || this == CRITICAL;
        }
    }

    @Override
    public String toString() {
        return scanner + " " + severity + " " + id + ": " + text;
    }
}
