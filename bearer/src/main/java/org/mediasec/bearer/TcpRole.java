package org.mediasec.bearer;

/** TCP role of a leg (TCP-1; from SDP a=setup: active = client, passive = server). */
public enum TcpRole { ACTIVE, PASSIVE }
