package org.mediasec.app.ue;

/** What a simulated UE did, for ladders and logs: called from the UE's threads. */
@FunctionalInterface
public interface UeTrace {

    enum Kind { TCP, TLS, MSRP, BFCP, MIKEY, ERROR }

    /** {@code peer}: the address or name at the other end, {@code what}: one line. */
    void event(String ue, Kind kind, boolean sent, String peer, String what);

    UeTrace NONE = (ue, kind, sent, peer, what) -> { };
}
