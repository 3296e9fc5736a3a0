package org.mediasec.it.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * sslscan (2.0) against one endpoint on 127.0.0.1, its {@code --xml} report read into findings. sslscan grades
 * nothing but ciphers, so the severities are given here, on testssl.sh's scale, from the rules the scanners and
 * RFCs share:
 *
 * <ul>
 *   <li>protocols: SSLv2 CRITICAL, SSLv3 HIGH (RFC 7568), TLS 1.0/1.1 MEDIUM (deprecated by RFC 8996), 1.2/1.3 OK;</li>
 *   <li>ciphers by sslscan's strength: null and anonymous CRITICAL, weak HIGH, medium MEDIUM, acceptable and strong OK;</li>
 *   <li>key exchange groups under 112 bits of security MEDIUM (NIST SP 800-57), others INFO;</li>
 *   <li>Heartbleed CRITICAL; compression HIGH (CRIME); insecure renegotiation HIGH, secure renegotiation INFO; no
 *       TLS_FALLBACK_SCSV MEDIUM where a version below 1.2 is enabled (a downgrade has somewhere to go), else INFO;</li>
 *   <li>certificate: expired CRITICAL; a SHA-1 or MD5 signature or a key under 112 bits HIGH; self-signed INFO (the
 *       peers pin its fingerprint).</li>
 * </ul>
 *
 * A client certificate is given with {@code --certs}/{@code --pk} where the endpoint requires one.
 */
final class SslScan {

    static final String COMMAND = "sslscan";
    static final String PACKAGE = "sslscan";
    static final String SCANNER = "sslscan";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int MINIMUM_SECURITY_BITS = 112;

    private SslScan() {}

    static Scan scan(String endpoint, int port, Optional<ScannerClient> client, Path directory) throws IOException, InterruptedException {
        String name = endpoint.replaceAll("[^A-Za-z0-9]+", "-");
        Path xml = directory.resolve(name + "-sslscan.xml");
        Path log = directory.resolve(name + "-sslscan.log");
        List<String> command = new ArrayList<>(List.of(COMMAND, "--no-colour", "--xml=" + xml));
        client.ifPresent(c -> command.addAll(List.of("--certs=" + c.certificate(), "--pk=" + c.key())));
        command.add("127.0.0.1:" + port);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("sslscan did not finish within " + TIMEOUT + " (see " + log + ")");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (process.exitValue() != 0 || !Files.exists(xml)) {
            throw new IOException("sslscan failed (exit " + process.exitValue() + "): " + Files.readString(log));
        }
        return new Scan(SCANNER, endpoint, read(xml), took);
    }

    static List<Finding> read(Path xml) throws IOException {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(xml.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(xml + ": not sslscan's XML: " + e.getMessage(), e);
        }
        List<Finding> findings = new ArrayList<>();
        boolean below12 = false;
        for (Element protocol : elements(document, "protocol")) {
            String version = protocol.getAttribute("type").toUpperCase(Locale.ROOT) + "v" + protocol.getAttribute("version");
            boolean enabled = protocol.getAttribute("enabled").equals("1");
            Finding.Severity severity = !enabled ? Finding.Severity.OK : switch (version) {
                case "SSLv2" -> Finding.Severity.CRITICAL;
                case "SSLv3" -> Finding.Severity.HIGH;
                case "TLSv1.0", "TLSv1.1" -> Finding.Severity.MEDIUM;
                default -> Finding.Severity.OK;
            };
            below12 |= enabled && !version.equals("TLSv1.2") && !version.equals("TLSv1.3");
            findings.add(finding("protocol " + version, severity, enabled ? "enabled" : "not enabled"));
        }
        for (Element cipher : elements(document, "cipher")) {
            String strength = cipher.getAttribute("strength");
            Finding.Severity severity = switch (strength) {
                case "null", "anonymous" -> Finding.Severity.CRITICAL;
                case "weak" -> Finding.Severity.HIGH;
                case "medium" -> Finding.Severity.MEDIUM;
                default -> Finding.Severity.OK;
            };
            findings.add(finding("cipher " + cipher.getAttribute("sslversion") + " " + cipher.getAttribute("cipher"), severity,
                    strength + ", " + cipher.getAttribute("bits") + " bits"));
        }
        for (Element group : elements(document, "group")) {
            int bits = Integer.parseInt(group.getAttribute("bits"));
            findings.add(finding("group " + group.getAttribute("sslversion") + " " + group.getAttribute("name"),
                    bits < MINIMUM_SECURITY_BITS ? Finding.Severity.MEDIUM : Finding.Severity.INFO, bits + " bits of security"));
        }
        for (Element heartbleed : elements(document, "heartbleed")) {
            boolean vulnerable = heartbleed.getAttribute("vulnerable").equals("1");
            findings.add(finding("heartbleed " + heartbleed.getAttribute("sslversion"), vulnerable ? Finding.Severity.CRITICAL : Finding.Severity.OK,
                    vulnerable ? "vulnerable" : "not vulnerable"));
        }
        for (Element compression : elements(document, "compression")) {
            boolean supported = compression.getAttribute("supported").equals("1");
            findings.add(finding("compression", supported ? Finding.Severity.HIGH : Finding.Severity.OK, supported ? "supported (CRIME)" : "none"));
        }
        for (Element renegotiation : elements(document, "renegotiation")) {
            boolean supported = renegotiation.getAttribute("supported").equals("1");
            boolean secure = renegotiation.getAttribute("secure").equals("1");
            findings.add(finding("renegotiation", !supported ? Finding.Severity.OK : secure ? Finding.Severity.INFO : Finding.Severity.HIGH,
                    !supported ? "not supported" : secure ? "secure renegotiation supported" : "insecure renegotiation supported"));
        }
        for (Element fallback : elements(document, "fallback")) {
            boolean supported = fallback.getAttribute("supported").equals("1");
            findings.add(finding("fallback", supported ? Finding.Severity.OK : below12 ? Finding.Severity.MEDIUM : Finding.Severity.INFO,
                    supported ? "TLS_FALLBACK_SCSV supported" : "TLS_FALLBACK_SCSV not supported"));
        }
        for (Element certificate : elements(document, "certificate")) {
            findings.addAll(certificate(certificate));
        }
        return findings;
    }

    private static List<Finding> certificate(Element certificate) {
        List<Finding> findings = new ArrayList<>();
        String signature = text(certificate, "signature-algorithm");
        boolean weakSignature = signature.toLowerCase(Locale.ROOT).matches(".*(sha1|md5).*");
        findings.add(finding("certificate signature", weakSignature ? Finding.Severity.HIGH : Finding.Severity.OK, signature));
        for (Element key : elements(certificate, "pk")) {
            int bits = key.getAttribute("bits").isEmpty() ? 0 : Integer.parseInt(key.getAttribute("bits"));
            // sslscan gives an EC key's security in bits (P-256: 128) and an RSA key's modulus size
            int security = key.getAttribute("type").equals("RSA") ? (bits >= 3072 ? 128 : bits >= 2048 ? 112 : 80) : bits;
            findings.add(finding("certificate key", security < MINIMUM_SECURITY_BITS ? Finding.Severity.HIGH : Finding.Severity.OK,
                    key.getAttribute("type") + " " + key.getAttribute("curve_name") + " " + bits + " bits"));
        }
        if (text(certificate, "self-signed").equals("true")) {
            findings.add(finding("certificate self-signed", Finding.Severity.INFO, "self-signed: its peers pin its fingerprint"));
        }
        boolean expired = text(certificate, "expired").equals("true");
        findings.add(finding("certificate validity", expired ? Finding.Severity.CRITICAL : Finding.Severity.OK, expired ? "expired" : "valid"));
        return findings;
    }

    private static Finding finding(String id, Finding.Severity severity, String text) {
        return new Finding(SCANNER, id, severity, text);
    }

    private static List<Element> elements(Node parent, String name) {
        NodeList nodes = parent instanceof Document document ? document.getElementsByTagName(name) : ((Element) parent).getElementsByTagName(name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static String text(Element parent, String name) {
        List<Element> found = elements(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }
}
