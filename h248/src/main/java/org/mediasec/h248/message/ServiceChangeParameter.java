package org.mediasec.h248.message;

import java.util.Optional;

/** Annex B serviceChangeParm / servChgReplyParm (H.248.1 7.2.8). */
public sealed interface ServiceChangeParameter {

    enum ServiceChangeMethod { FAILOVER, FORCED, GRACEFUL, RESTART, DISCONNECTED, HAND_OFF, EXTENSION }

    /** {@code Method = Restart}; {@code extension} holds an {@code X-…} method name when the method is EXTENSION. */
    record Method(ServiceChangeMethod method, Optional<String> extension) implements ServiceChangeParameter {
        public Method {
            if ((method == ServiceChangeMethod.EXTENSION) != extension.isPresent()) {
                throw new IllegalArgumentException("an extension name goes with EXTENSION only");
            }
        }

        public static Method of(ServiceChangeMethod method) {
            return new Method(method, Optional.empty());
        }
    }

    /** {@code Reason = "901 Cold Boot"}: the code first, an optional text after it. */
    record Reason(String value) implements ServiceChangeParameter {
        /** The leading number of the reason, e.g. 901, when there is one. */
        public Optional<Integer> code() {
            int end = 0;
            while (end < value.length() && end < 4 && Character.isDigit(value.charAt(end))) {
                end++;
            }
            return end == 0 ? Optional.empty() : Optional.of(Integer.parseInt(value.substring(0, end)));
        }
    }

    record Delay(long delay) implements ServiceChangeParameter {
        public Delay {
            Values.uint32(delay, "Delay");
        }
    }

    /** {@code ServiceChangeAddress = mId} or {@code ServiceChangeAddress = port}. */
    record Address(Optional<MessageId> address, Optional<Integer> port) implements ServiceChangeParameter {
        public Address {
            if (address.isPresent() == port.isPresent()) {
                throw new IllegalArgumentException("an address or a port");
            }
        }
    }

    /** {@code Profile = name/version}. */
    record Profile(String name, int version) implements ServiceChangeParameter {
        public Profile {
            Values.uint16(version, "profile version");
        }
    }

    record Version(int version) implements ServiceChangeParameter {}

    record MgcIdToTry(MessageId mgcId) implements ServiceChangeParameter {}

    record TimeStamp(String timestamp) implements ServiceChangeParameter {}

    /** {@code X-name = value}. */
    record Extension(PropertyParameter parameter) implements ServiceChangeParameter {}

    /** v3 {@code ServiceChangeInc}: the ServiceChange concerns a subset of the terminations. */
    record Incomplete() implements ServiceChangeParameter {}

    /** v2+ {@code Audit { … }} inside Services (serviceChangeInfo). */
    record Info(Descriptor.AuditDescriptor audit) implements ServiceChangeParameter {}
}
