package org.mediasec.h248.message;

import java.util.OptionalInt;

/**
 * The mId of a message and the address forms of ServiceChangeAddress / MgcIdToTry (Annex B:
 * {@code mId = (( domainAddress / domainName ) [":" portNumber]) / mtpAddress / deviceName}).
 */
public sealed interface MessageId {

    /** {@code [192.0.2.1]:2944}. */
    record Ipv4Address(String address, OptionalInt port) implements MessageId {}

    /** {@code [2001:db8::1]:2944}. */
    record Ipv6Address(String address, OptionalInt port) implements MessageId {}

    /** {@code <mg1.example.net>:2944}. */
    record DomainName(String name, OptionalInt port) implements MessageId {}

    /** A pathNAME, e.g. {@code mg/1}. */
    record DeviceName(String name) implements MessageId {}

    /** {@code MTP{0A1B}}: 4 to 8 hex digits of an SS7 point code. */
    record MtpAddress(String hex) implements MessageId {}

    static MessageId ipv4(String address, int port) {
        return new Ipv4Address(address, OptionalInt.of(port));
    }
}
