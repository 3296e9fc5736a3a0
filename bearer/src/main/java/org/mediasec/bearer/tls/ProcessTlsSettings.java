package org.mediasec.bearer.tls;

import org.mediasec.traceability.Implements;

/**
 * TLS settings that the JDK and Netty read once per process, when their TLS classes are first loaded, and that cannot
 * be set per context: client-initiated renegotiation is rejected (TLS-12), and session tickets are off so that a
 * session we invalidate after the handshake (resumption off, TLS-12) can never come back statelessly. They are set
 * from the static initialisers of {@link TlsDomain}, {@link TlsProvider} and {@link TlsEngines}, so before any of
 * ours runs; an operator may still override them with -D. The OpenSSL engines also set SSL_OP_NO_TICKET on each
 * engine, which does not depend on class-loading order.
 */
@Implements("TLS-12")
final class ProcessTlsSettings {

    private ProcessTlsSettings() {}

    static void apply() {
        setIfAbsent("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        setIfAbsent("jdk.tls.server.enableSessionTicketExtension", "false");
        setIfAbsent("jdk.tls.client.enableSessionTicketExtension", "false");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
