package org.mediasec.controller.alg;

import org.mediasec.traceability.Implements;

/** What the gateway does with the TLS of one leg of a stream. */
@Implements("E2E-8")
public enum LegSecurity {
    /** The gateway terminates TLS on this leg with its certificate and checks the peer's fingerprint (GW-1, GW-2). */
    TLS,
    /** Plain TCP: no TLS on this leg (the core side of e2ae, or media that never had TLS). */
    TCP,
    /** The gateway relays TCP and leaves the endpoints' own TLS untouched: e2e security (GW-3, CTRL-4, E2E-8). */
    TRANSPARENT
}
