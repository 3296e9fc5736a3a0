package org.mediasec.h248.packages;

/**
 * The one place for the text names and IDs of the H.248.89 (TCP support) and H.248.90 (TLS control) packages that
 * the Iq/Ix/Mp TCP/TLS procedures use. UNVERIFIED: the Recommendations' text names and the IANA serials could not
 * be read here (see shared/reference/h248-stage3.md, "unverified"); every name below is our choice, made to be
 * short, distinct and descriptive, and is listed as unverified in docs/h248-packages.md. Correct them here, once,
 * when the Recommendations are at hand; nothing else in the code spells them.
 */
public final class TcpTlsPackageNames {

    private TcpTlsPackageNames() {}

    /** H.248.89 clause 7, TCP basic connection control. ID unverified (IANA list not found; 0x0110–0x011a region). */
    public static final String TCP_PACKAGE = "tcpbcc";
    public static final int TCP_PACKAGE_ID = 0x0116;

    /** Signal: open the TCP connection now (TCP-2, TCP-4 delayed establishment: the MG is TCP client). */
    public static final String TCP_ESTABLISH_SIGNAL = "estab";
    /**
     * Property (LocalControl, ON/OFF): delayed establishment (TCP-4, TR 29.828 4.4.2.2): the termination's port is
     * reserved but no connection is opened or accepted until {@link #TCP_ESTABLISH_SIGNAL}. Our name: H.248.89 may
     * carry this as the establish signal's absence alone; unverified.
     */
    public static final String TCP_DELAYED_PROPERTY = "delay";
    /**
     * Property (LocalControl, ON/OFF): TCP merge (TCP-5, TR 29.828 4.4.2.3 (2), TS 23.334 6.2.18.4: "a=setup:passive
     * with the merge policy"): the passive termination also connects to the peer from its own port (simultaneous
     * open). Our name; H.248.84's TCP hole punching package may be the standard carrier; unverified.
     */
    public static final String TCP_MERGE_PROPERTY = "merge";

    /** H.248.37 IP NAPT traversal (ID 0x0099 verified; the property's value syntax, ON/OFF, unverified). */
    public static final String NAPT_PACKAGE = "ipnapt";
    public static final int NAPT_PACKAGE_ID = 0x0099;
    /** Property (LocalControl, ON/OFF): latch onto the remote source instead of trusting the SDP address (TCP-6). */
    public static final String NAPT_LATCH_PROPERTY = "latch";

    /**
     * H.248.37 Amendment 1 address reporting package (ID 0x00ac verified: Wireshark's package table; its text name
     * and items unverified, ours): the MG reports the remote address a latching termination latched onto (TCP-6).
     */
    public static final String ADDRESS_REPORTING_PACKAGE = "adr";
    public static final int ADDRESS_REPORTING_PACKAGE_ID = 0x00ac;
    /** Event: the termination latched onto a remote source, with parameters {@link #LATCHED_IP} and {@link #LATCHED_PORT}. */
    public static final String LATCHED_ADDRESS_EVENT = "latched";
    /** Event parameter: the latched source's IP address (text, as {@code InetAddress.getHostAddress()} writes it). */
    public static final String LATCHED_IP = "ip";
    /** Event parameter: the latched source's TCP port. */
    public static final String LATCHED_PORT = "port";

    /** Event: the TCP connection is established (TLS-9 "notify TCP establishment"). */
    public static final String TCP_ESTABLISHED_EVENT = "estab";
    /** Event: TCP establishment failed or the connection was released (TCP-8), with parameter {@link #REASON}. */
    public static final String TCP_FAILURE_EVENT = "fail";

    /** H.248.90 clause 8, TLS basic session control. ID unverified. */
    public static final String TLS_PACKAGE = "tlsbsc";
    public static final int TLS_PACKAGE_ID = 0x0117;

    /** Signal: start the TLS handshake as client (the MG is TLS client, TLS-1). */
    public static final String TLS_ESTABLISH_SIGNAL = "estab";
    /** Event: the TLS session is established (TLS-9). */
    public static final String TLS_ESTABLISHED_EVENT = "estab";
    /** Event: TLS failed or was released (TLS-4, TLS-10, TLS-11), with parameter {@link #REASON}. */
    public static final String TLS_FAILURE_EVENT = "fail";
    /** Property: the TLS role of the termination, client or server (TLS-1). */
    public static final String TLS_ROLE_PROPERTY = "role";
    /** Property: the TLS domain whose profile the termination uses (TLS-8). */
    public static final String TLS_DOMAIN_PROPERTY = "domain";
    /** Property: the pre-shared key of a TLS-PSK termination, MRFP only (E2E-1, E2E-5): the TEK, hex. */
    public static final String TLS_PSK_PROPERTY = "psk";

    /** Event parameter of both failure events: why (e.g. fingerprint mismatch, alert, FIN, RST). */
    public static final String REASON = "reason";
}
