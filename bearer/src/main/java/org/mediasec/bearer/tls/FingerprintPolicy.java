package org.mediasec.bearer.tls;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.mediasec.traceability.Implements;

/**
 * Which of the peer's SDP fingerprints a TLS domain enforces (SEC-3, RFC 8122 5): only fingerprints under a hash
 * function the domain accepts count (sha-256, sha-384 and sha-512 by default; sha-1 only where configured), and when
 * several hash functions are offered, only the strongest accepted one decides: the certificate must match one
 * fingerprint of that set, and a fingerprint under a weaker function can neither help nor hurt. The gateway asks
 * {@link #accept} before it opens a bearer, so that it can refuse the command and report exactly what is enforced;
 * the trust manager applies the same decision in the handshake.
 *
 * @param hashFunctions RFC 8122 names (lower case) of the hash functions accepted from peers
 */
@Implements("SEC-3")
public record FingerprintPolicy(Set<String> hashFunctions) {

    /** Strongest first: the order in which an offered hash function is preferred (RFC 8122 5). */
    private static final List<String> BY_STRENGTH = List.of("sha-512", "sha-384", "sha-256", "sha-224", "sha-1");

    /** SEC-3: strong hash functions only, sha-256 and above. */
    public static final FingerprintPolicy DEFAULT = new FingerprintPolicy(Set.of("sha-256", "sha-384", "sha-512"));

    /** The default plus sha-1, for a domain whose peers still send RFC 4572-era fingerprints (configured, never default). */
    public static final FingerprintPolicy WITH_SHA1 = new FingerprintPolicy(Set.of("sha-1", "sha-256", "sha-384", "sha-512"));

    public FingerprintPolicy {
        hashFunctions = hashFunctions.stream().map(name -> name.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (hashFunctions.isEmpty() || !BY_STRENGTH.containsAll(hashFunctions)) {
            throw new IllegalArgumentException("fingerprint hash functions " + hashFunctions + " must be among " + BY_STRENGTH
                    + " (RFC 8122 5: never md2 or md5)");
        }
    }

    /** What {@link #accept} decided. */
    public sealed interface Decision {}

    /** The fingerprints the handshake will be held to: all under {@code hashFunction}, the strongest accepted one offered. */
    public record Enforced(String hashFunction, List<CertificateFingerprint> fingerprints) implements Decision {
        public Enforced {
            fingerprints = List.copyOf(fingerprints);
        }
    }

    /** Nothing can be enforced: no peer would be authenticated (TLS-4). */
    public record Refused(Refusal refusal, String reason) implements Decision {}

    /** Why nothing can be enforced. */
    public enum Refusal {
        /** No fingerprint was offered at all. */
        NO_FINGERPRINT,
        /** Fingerprints were offered, but none under a hash function this domain accepts. */
        HASH_FUNCTION_NOT_ACCEPTED
    }

    /** Chooses what to enforce among the peer's fingerprints, or says why nothing can be. */
    public Decision accept(List<CertificateFingerprint> offered) {
        if (offered.isEmpty()) {
            return new Refused(Refusal.NO_FINGERPRINT, "no peer fingerprint was given (TLS-4)");
        }
        return offered.stream().map(CertificateFingerprint::hashFunction).filter(hashFunctions::contains)
                .min(Comparator.comparingInt(BY_STRENGTH::indexOf))
                .<Decision>map(strongest -> new Enforced(strongest, offered.stream().filter(f -> f.hashFunction().equals(strongest)).distinct().toList()))
                .orElseGet(() -> new Refused(Refusal.HASH_FUNCTION_NOT_ACCEPTED, "no fingerprint under an accepted hash function: offered "
                        + offered.stream().map(CertificateFingerprint::hashFunction).distinct().sorted().toList() + ", accepted "
                        + accepted() + " (SEC-3, RFC 8122 5)"));
    }

    /** The accepted hash functions, strongest first. */
    public List<String> accepted() {
        return BY_STRENGTH.stream().filter(hashFunctions::contains).toList();
    }
}
