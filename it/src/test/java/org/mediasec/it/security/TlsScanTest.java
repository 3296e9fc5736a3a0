package org.mediasec.it.security;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248stack.transaction.PeerLimits;
import org.mediasec.h248stack.transaction.RequestHandler;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.CertificatePin;
import org.mediasec.h248stack.transport.EndpointLimits;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.TlsLink;
import org.mediasec.it.security.TlsScans.InShortForm;
import org.mediasec.kms.KeyEncryptionKeys;
import org.mediasec.kms.KmsService;
import org.mediasec.kms.MasterKeyStore;
import org.mediasec.kms.UserStore;
import org.mediasec.kms.server.KmsServer;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * SEC-5: every TLS endpoint kind, in its default configuration, scanned on loopback with testssl.sh and sslscan: the
 * profile kept check by check ({@link TlsProfile}: no SSLv3, TLS 1.0 or 1.1; no NULL, anonymous, export, weak or CBC
 * suite; forward secrecy only; no client renegotiation; no compression), no finding of medium severity or above (but
 * for the pinned certificate's web-PKI rules, each set aside by name in {@link TlsScans}), and no check the scanners
 * could not make. Reports and figures: {@code it/target/tls-scans/}. CI runs the short form; {@code
 * -Dmediasec.tls.scan=full} the long one ({@link TlsScans.Depth}).
 *
 * <ul>
 *   <li>the KMS's HTTPS port, as {@code mediasec kms serve} runs it (its certificate generated the same way, default
 *       limits, the bearer's preferred provider);</li>
 *   <li>a certificate leg on the default TLS domain (the gateway's TLS bearer ports), on each provider, through
 *       {@link TlsScanEndpoint} (the domain's TlsEngines, accepting again and again), the scanners presenting the
 *       certificate whose fingerprint the leg expects;</li>
 *   <li>the H.248 control link over TLS (SEC-1's option): a {@link TcpEndpoint} listening with a {@link TlsLink}, the
 *       production code of the link's listening side, pinning the scanners' certificate;</li>
 *   <li>a legacy domain: {@link LegacyTlsScanTest}, in a JVM of its own.</li>
 * </ul>
 */
@RequiresPeer(command = TestSsl.COMMAND, debianPackage = TestSsl.PACKAGE)
@RequiresPeer(command = SslScan.COMMAND, debianPackage = SslScan.PACKAGE)
@Timeout(1800)
class TlsScanTest {

    @TempDir
    Path work;

    @Test
    @Tag("SEC-5")
    @WireTest
    void theKmsHttpsPortKeepsTheProfile() throws Exception {
        SecureRandom random = new SecureRandom();
        KeyEncryptionKeys keks = KeyEncryptionKeys.open(work.resolve("kek"), random);
        String url = UserStore.defaultUrl(work);
        try (UserStore users = UserStore.open(url, keks); MasterKeyStore masterKeys = MasterKeyStore.open(url, keks, Clock.systemUTC(), random)) {
            KmsService service = new KmsService(KmsService.Settings.defaults(new KmsUid("sip:kms@ims.example.org")), users, masterKeys, Clock.systemUTC(),
                    random);
            SelfSignedCertificate certificate = SelfSignedCertificate.loadOrGenerate(work, "mediasec KMS");
            try (KmsServer kms = KmsServer.start(new InetSocketAddress("127.0.0.1", 0), certificate, service)) {
                TlsScans.assertClean(TlsScans.scan("KMS", kms.address().getPort(), Optional.empty(), work, InShortForm.BOTH_SCANNERS));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsProvider.class)
    @Tag("SEC-5")
    @WireTest
    void aCertificateLegOnTheDefaultDomainKeepsTheProfile(TlsProvider provider) throws Exception {
        ScannerClient client = ScannerClient.generate(work);
        // the domain as the gateway makes it from a configuration that names only the domain
        TlsDomain domain = TlsDomain.defaults("default", SelfSignedCertificate.loadOrGenerate(work.resolve("default"), "mediasec default"))
                .withProvider(provider);
        InShortForm inShortForm = provider == TlsProvider.preferred() ? InShortForm.BOTH_SCANNERS : InShortForm.SSLSCAN_ONLY;
        try (TlsScanEndpoint leg = new TlsScanEndpoint(domain, client.asExpected())) {
            TlsScans.assertClean(TlsScans.scan("default domain, " + provider, leg.port(), Optional.of(client), work, inShortForm));
        }
    }

    @Test
    @Tag("SEC-5")
    @WireTest
    void theH248ControlLinkOverTlsKeepsTheProfile() throws Exception {
        ScannerClient client = ScannerClient.generate(work);
        SelfSignedCertificate own = SelfSignedCertificate.generate("mediasec control link", Duration.ofDays(1));
        TlsLink link = new TlsLink(own.key(), own.chain(), Set.of(CertificatePin.of(client.generated().certificate())));
        RequestHandler unanswered = request -> new CompletableFuture<>(); // the scanners send no H.248
        try (TcpEndpoint listener = TcpEndpoint.listen(new InetSocketAddress("127.0.0.1", 0), MessageId.ipv4("127.0.0.1", 2944), 3,
                TransactionTimers.DEFAULT, PeerLimits.DEFAULT, EndpointLimits.DEFAULT, Duration.ofMinutes(5), Optional.of(link),
                peer -> Optional.of(unanswered))) {
            TlsScans.assertClean(TlsScans.scan("H.248 control link", listener.localAddress().getPort(), Optional.of(client), work, InShortForm.BOTH_SCANNERS));
        }
    }
}
