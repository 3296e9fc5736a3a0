package org.mediasec.controller.alg;

import java.util.Optional;

/**
 * One side of a call as the IMS-ALG sees it: a UE it serves on the access side (with what the UE declared at
 * registration: support of e2ae security, TS 33.328 7.1), or the core network (another P-CSCF, an AS, a peer
 * network behind an IBCF); the MSRP extensions the SIP side knows the party to support (GW-6); and the address its
 * SIP message came from ({@code receivedFrom}: an IP literal, Kamailio's ng {@code received-from}), by which the
 * IMS-ALG learns that a UE is behind a NAT (TR 29.828 4.4.2.3, {@link NatTraversalPolicy}).
 */
public record Party(Kind kind, boolean e2aeSupported, MsrpExtensions msrp, Optional<String> receivedFrom) {

    public Party {
        if (receivedFrom.filter(address -> !AddressPrefix.isLiteral(address)).isPresent()) {
            throw new IllegalArgumentException("received-from is an IP address literal, not " + receivedFrom.get());
        }
    }

    public Party(Kind kind, boolean e2aeSupported, MsrpExtensions msrp) {
        this(kind, e2aeSupported, msrp, Optional.empty());
    }

    /** The party whose SIP message came from {@code address} (an IPv4 or IPv6 literal; never a name to resolve). */
    public Party withReceivedFrom(String address) {
        return new Party(kind, e2aeSupported, msrp, Optional.of(address));
    }

    public enum Kind { ACCESS, CORE }

    /**
     * What the SIP side knows of a party's MSRP (TR 29.828 table 4.1.4-1): CEMA (RFC 6714; also read from an offer's
     * {@code a=msrp-cema}) and the session matching update (draft-ietf-simple-msrp-sessmatch, which SDP does not
     * negotiate: only registration features or configuration can tell). Neither: an RFC 4975-only endpoint that
     * compares whole URIs, which needs the MSRP-aware gateway.
     */
    public record MsrpExtensions(boolean cema, boolean sessionMatching) {
        public static final MsrpExtensions RFC4975_ONLY = new MsrpExtensions(false, false);
        public static final MsrpExtensions CEMA = new MsrpExtensions(true, false);
        public static final MsrpExtensions SESSION_MATCHING = new MsrpExtensions(false, true);
    }

    /**
     * A UE on this P-CSCF's access side; {@code e2aeSupported}: it registered with e2ae media security support. Its
     * MSRP is taken to match sessions by session-id, as every deployment before GW-6 assumed (the gateway stays
     * agnostic between two such parties); say what is known with {@link #accessUe(boolean, MsrpExtensions)}.
     */
    public static Party accessUe(boolean e2aeSupported) {
        return new Party(Kind.ACCESS, e2aeSupported, MsrpExtensions.SESSION_MATCHING);
    }

    public static Party accessUe(boolean e2aeSupported, MsrpExtensions msrp) {
        return new Party(Kind.ACCESS, e2aeSupported, msrp);
    }

    /** The core, its MSRP taken to match by session-id (see {@link #accessUe(boolean)}). */
    public static Party core() {
        return new Party(Kind.CORE, false, MsrpExtensions.SESSION_MATCHING);
    }

    public static Party core(MsrpExtensions msrp) {
        return new Party(Kind.CORE, false, msrp);
    }

    public boolean isAccess() {
        return kind == Kind.ACCESS;
    }
}
