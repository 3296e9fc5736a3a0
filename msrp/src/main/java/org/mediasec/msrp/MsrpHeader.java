package org.mediasec.msrp;

/** One header line other than To-Path and From-Path, kept as received: {@code name ": " value}. */
public record MsrpHeader(String name, String value) {

    public boolean is(String headerName) {
        return name.equalsIgnoreCase(headerName);
    }
}
