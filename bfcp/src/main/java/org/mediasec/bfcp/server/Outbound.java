package org.mediasec.bfcp.server;

import org.mediasec.bfcp.BfcpMessage;

/** A message the floor control server sends, and the user whose connection carries it. */
public record Outbound(int userId, BfcpMessage message) {}
