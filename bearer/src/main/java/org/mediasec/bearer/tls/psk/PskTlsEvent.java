package org.mediasec.bearer.tls.psk;

/** What a {@link PskTlsHandler} tells the handlers after it, as user events. */
public sealed interface PskTlsEvent {

    /** The handshake is done: application data flows. */
    record HandshakeCompleted(String protocol, String cipherSuite) implements PskTlsEvent {}

    /** The handshake failed (wrong PSK, no common suite, timeout, connection lost); the channel is closed. */
    record HandshakeFailed(String reason, boolean timeout) implements PskTlsEvent {}

    /** The peer sent close_notify: no more data will come. */
    record CloseNotifyReceived() implements PskTlsEvent {}
}
