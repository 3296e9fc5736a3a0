package org.mediasec.bearer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.psk.PskTlsHandler;
import org.mediasec.traceability.Implements;

/**
 * The TLS layer of a leg (TLS-1): with certificates, an SslHandler on the domain's engines (TLS-3, TLS-4); or with a
 * PSK (E2E-5). It is added to the leg's connection, says what a handshake established, and sends close_notify.
 * Thread rule: the pair's event loop, apart from the prepared leg, which is immutable but for its verdict.
 */
@Implements({"TLS-1", "TLS-9"})
final class LegTls {

    private final LegSpec spec;
    private final TlsEngines.Leg prepared;
    private SslHandler ssl;
    private PskTlsHandler psk;
    private SSLEngine engine;

    private LegTls(LegSpec spec, TlsEngines.Leg prepared) {
        this.spec = spec;
        this.prepared = prepared;
    }

    /** The leg's TLS layer, none for plain TCP; with certificates, our certificate is chosen now, for the SDP answer (TLS-3). */
    static Optional<LegTls> of(LegSpec spec) {
        if (spec.psk().isPresent()) {
            return Optional.of(new LegTls(spec, null));
        }
        return spec.tls().map(t -> new LegTls(spec, t.certificate().map(c -> t.engines().prepare(t.peerFingerprints(), c))
                .orElseGet(() -> t.engines().prepare(t.peerFingerprints()))));
    }

    /**
     * A layer of its own for one more connection to the same leg: the same certificate, fingerprints or PSK, its own
     * engine and verdict (a passive leg's pending handshakes, {@link PendingHandshakes}).
     */
    LegTls another() {
        return new LegTls(spec, prepared == null ? null : spec.tls().orElseThrow().engines().again(prepared));
    }

    /** With certificates: what the engine was told and what its handshake found. */
    Optional<TlsEngines.Leg> prepared() {
        return Optional.ofNullable(prepared);
    }

    /** TLS with certificates (an SslHandler), not PSK. */
    boolean certificates() {
        return prepared != null;
    }

    /** Adds the handler to a new connection's pipeline; the leg's own handler goes after it. */
    void addTo(Channel connection) {
        spec.tls().ifPresent(settings -> {
            engine = settings.engines().newEngine(prepared, settings.client(), connection.alloc());
            ssl = new SslHandler(engine);
            ssl.setHandshakeTimeoutMillis(settings.engines().domain().handshakeTimeout().toMillis());
            connection.pipeline().addLast(ssl);
        });
        spec.psk().ifPresent(settings -> {
            psk = new PskTlsHandler(settings.client(), settings.key(), settings.handshakeTimeout());
            connection.pipeline().addLast(psk);
        });
    }

    /**
     * TLS-4: whether a certificate handshake that succeeded authenticated the peer; a resumed session is judged by
     * {@link TlsEngines.Leg#authenticate}, explicitly, since no trust manager ran for it. TLS-12: unless the domain
     * resumes sessions, this one is made unresumable.
     */
    TlsEngines.Authentication authenticate() {
        SSLSession session = engine.getSession();
        TlsEngines.Authentication authentication = prepared.authenticate(session);
        if (authentication instanceof TlsEngines.Authenticated && !spec.tls().orElseThrow().engines().domain().resumption()) {
            session.invalidate();
        }
        return authentication;
    }

    SSLSession session() {
        return engine.getSession();
    }

    /** Why a certificate handshake failed: the fingerprint check's verdict, or else the engine's. */
    Optional<String> authenticationFailure() {
        return prepared.authenticationFailure();
    }

    /** close_notify (TLS-10); the future completes once it is written. */
    ChannelFuture closeOutbound(Channel connection) {
        return ssl != null ? ssl.closeOutbound() : psk != null ? psk.closeOutbound() : connection.newSucceededFuture();
    }

    /** The engine's leg is no longer looked up by the domain's key and trust managers. */
    void forget() {
        if (engine != null) {
            spec.tls().orElseThrow().engines().forget(engine);
        }
    }
}
