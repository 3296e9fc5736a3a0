package org.mediasec.it.gateway;

import java.util.Optional;

/** H.248 text of the Adds an IMS-ALG sends for one MSRP or BFCP stream, as the gateway process tests need them. */
final class AddRequests {

    private AddRequests() {}

    /**
     * {@code Add = ip/$} with Local (address and port chosen by the MG; {@code a=fingerprint:$} when a fingerprint is
     * expected) and Remote (127.0.0.1, the peer's port, setup and fingerprint), and the events to report, if any.
     */
    static String add(String transport, String setup, int remotePort, Optional<String> fingerprint, String events) {
        return """
                  Add = ip/$ {
                    Media { Stream = 1 {
                      Local {
                v=0
                c=IN IP4 $
                m=%s $ %s *
                %s      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=%s %d %s *
                a=setup:%s
                %s      } } }%s
                  }""".formatted(transport.contains("BFCP") ? "application" : "message", transport, fingerprint.isPresent() ? "a=fingerprint:$\n" : "",
                transport.contains("BFCP") ? "application" : "message", remotePort, transport, setup,
                fingerprint.map(f -> "a=fingerprint:" + f + "\n").orElse(""), events.isEmpty() ? "" : ",\n Events = 77 { " + events + " }");
    }


    /** An e2ae pair in one context: TLS towards the UE (whose fingerprint is given), TCP towards the core. */
    static String e2aePair(long transaction, String ueFingerprint, int corePort) {
        return "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " {\n  Context = $ {\n"
                + add("TCP/TLS/MSRP", "active", 9, Optional.of(ueFingerprint), "tlsbsc/fail, tcpbcc/fail") + ",\n"
                + add("TCP/MSRP", "passive", corePort, Optional.empty(), "") + "\n  }\n}\n";
    }
}
