package org.mediasec.controller.mgc;

/**
 * The NAT traversal the controller asks of one gateway leg (TR 29.828 4.4.2.2, 4.4.2.3; TCP-4, TCP-5, TCP-6), written
 * into its LocalControl: latching onto the remote source (H.248.37 {@code ipnapt/latch}), TCP merge
 * ({@code tcpbcc/merge}) and delayed establishment ({@code tcpbcc/delay}, ended by the {@code tcpbcc/estab} signal).
 * The names are those of {@link org.mediasec.h248.packages.TcpTlsPackageNames}.
 */
public record LegTraversal(boolean latch, boolean merge, boolean delayed) {

    public static final LegTraversal NONE = new LegTraversal(false, false, false);

    public LegTraversal withDelayed(boolean delay) {
        return new LegTraversal(latch, merge, delay);
    }

    public boolean any() {
        return latch || merge || delayed;
    }
}
