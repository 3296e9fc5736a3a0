package org.mediasec.controller.mgc;

/** The TLS role a gateway leg plays (TLS-1), sent as LocalControl {@code tlsbsc/role}. */
public enum TlsRole {
    CLIENT, SERVER;

    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
