package org.mediasec.controller.alg;

/**
 * One side of a call as the IMS-ALG sees it: a UE it serves on the access side (with what the UE declared at
 * registration: support of e2ae security, TS 33.328 7.1), or the core network (another P-CSCF, an AS, a peer
 * network behind an IBCF).
 */
public record Party(Kind kind, boolean e2aeSupported) {

    public enum Kind { ACCESS, CORE }

    /** A UE on this P-CSCF's access side; {@code e2aeSupported}: it registered with e2ae media security support. */
    public static Party accessUe(boolean e2aeSupported) {
        return new Party(Kind.ACCESS, e2aeSupported);
    }

    public static Party core() {
        return new Party(Kind.CORE, false);
    }

    public boolean isAccess() {
        return kind == Kind.ACCESS;
    }
}
