package org.mediasec.gateway;

import org.mediasec.bearer.tls.CertificateFingerprint;

/**
 * The H.248 action the IMS-ALG sends for an e2ae MSRP stream (TS 23.334 6.2.10.3, TLS-4), as the gateway tests write
 * it: in context CHOOSE, the UE's leg TCP/TLS/MSRP with the gateway passive (TLS server) and the UE's fingerprint in
 * Remote, events for TLS establishment and failure; the core's leg TCP/MSRP towards a passive core.
 */
final class E2aeContextText {

    private E2aeContextText() {}

    /** The action text (without the transaction around it). */
    static String of(CertificateFingerprint ue, int corePort) {
        return """
                Context = $ {
                  Add = ip/$ {
                    Media { Stream = 1 {
                      LocalControl { Mode = SendReceive },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/TLS/MSRP *
                a=setup:passive
                a=fingerprint:$
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message 9 TCP/TLS/MSRP *
                a=setup:active
                a=fingerprint:%s
                      } } },
                    Events = 2001 { tlsbsc/estab, tlsbsc/fail, tcpbcc/fail }
                  },
                  Add = ip/$ {
                    Media { Stream = 1 {
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message %d TCP/MSRP *
                a=setup:passive
                      } } },
                    Events = 2002 { tcpbcc/fail }
                  }
                }""".formatted(ue, corePort);
    }
}
