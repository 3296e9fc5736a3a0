package org.mediasec.kms.client;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;

/**
 * A client of the KMS for initiators and responders (the MRFC, the UE simulator): Ticket Request and Ticket
 * Resolve over HTTPS with the JDK's HTTP client. The KMS is trusted by the SHA-256 fingerprint of its certificate
 * (printed by {@code mediasec kms serve}), not by a CA: the KMS is the operator's own. Closing it ends the HTTP
 * client's selector thread, which otherwise sits in native code until the process ends (and the JVM waits 300 ms at
 * exit for a thread in native code).
 */
public final class KmsClient implements AutoCloseable {

    private final URI endpoint;
    private final HttpClient http;
    private final Duration timeout;

    public KmsClient(URI base, CertificateFingerprint pinned, Duration timeout) {
        this.endpoint = base.resolve(KmsServer.PATH);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().sslContext(pinnedContext(pinned)).connectTimeout(timeout).build();
    }

    /** Ticket Request: REQUEST_INIT_PSK to the KMS, its REQUEST_RESP read. A refusal is a {@link MikeyException} with the KMS's code. */
    public TicketInitiator.IssuedTicket requestTicket(TicketInitiator initiator, TicketInitiator.PendingRequest request) throws IOException, MikeyException {
        return initiator.acceptRequestResp(request, exchange(request.message()));
    }

    /** Ticket Resolve: RESOLVE_INIT_PSK to the KMS, its RESOLVE_RESP read (which also checks the TRANSFER_INIT's MAC). */
    public TicketResponder.Resolved resolve(TicketResponder responder, TicketResponder.ReceivedTransfer transfer) throws IOException, MikeyException {
        TicketResponder.PendingResolve pending = responder.resolveInit(transfer);
        return responder.acceptResolveResp(pending, exchange(pending.message()));
    }

    /** One POST; a MIKEY answer is returned whatever the status (an Error message is read by the caller). */
    public byte[] exchange(byte[] mikey) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", KmsServer.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(mikey)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the KMS", e);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith(KmsServer.CONTENT_TYPE)) {
            throw new IOException("the KMS answered HTTP " + response.statusCode() + " with " + (type.isEmpty() ? "no content type" : type)
                    + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        return response.body();
    }

    /** Abandons exchanges still running and waits (at most a second) for the client's threads to end. */
    @Override
    public void close() {
        http.shutdownNow();
        try {
            http.awaitTermination(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SSLContext pinnedContext(CertificateFingerprint pinned) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedTrustManager(pinned)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }

    /** Trusts exactly the certificate with the pinned fingerprint; being an extended manager, it replaces host name checks. */
    private static final class PinnedTrustManager extends X509ExtendedTrustManager {
        private final CertificateFingerprint pinned;

        PinnedTrustManager(CertificateFingerprint pinned) {
            this.pinned = pinned;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || !pinned.matches(chain[0])) {
                throw new CertificateException("the KMS's certificate does not have the pinned fingerprint " + pinned);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

}
