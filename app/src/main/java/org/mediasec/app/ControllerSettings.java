package org.mediasec.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The controller's YAML configuration ({@code mediasec controller --config FILE}); every key is optional, the
 * defaults being the embedded one-machine setup that finds {@code mediasec gateway}'s defaults. Unknown keys are
 * errors. See docs/controller.md for the reference.
 */
record ControllerSettings(
        @JsonProperty("role") String role,
        @JsonProperty("realm") String realm,
        @JsonProperty("h248") H248 h248,
        @JsonProperty("gateways") List<Gateway> gateways,
        @JsonProperty("ng") Ng ng,
        @JsonProperty("calls") Calls calls,
        @JsonProperty("metrics") GatewaySettings.Metrics metrics,
        @JsonProperty("natTraversal") NatTraversal natTraversal) {

    /**
     * TR 29.828 4.4.2.3: what the IMS-ALG does for an access UE behind a NAT (received-from differs from its SDP
     * address, or its SDP address is unroutable): {@code mode} latch, merge or none by default, per access network
     * (by received-from prefixes) otherwise; {@code delayOtherLeg}: TR 29.828 4.4.2.2 NOTE 3.
     */
    record NatTraversal(@JsonProperty("mode") String mode, @JsonProperty("delayOtherLeg") Boolean delayOtherLeg,
            @JsonProperty("unroutable") List<String> unroutable, @JsonProperty("accessNetworks") List<AccessNetwork> accessNetworks) {}

    record AccessNetwork(@JsonProperty("name") String name, @JsonProperty("from") List<String> from, @JsonProperty("mode") String mode) {}

    record H248(@JsonProperty("address") String address, @JsonProperty("port") Integer port, @JsonProperty("version") Integer version) {}

    record Gateway(@JsonProperty("name") String name, @JsonProperty("address") String address, @JsonProperty("realm") String realm) {}

    /**
     * The ng port; {@code softInFlight} and {@code overloadDelayMs}: when new calls are refused with {@code load limit}
     * while calls in progress go on (docs/sip-integration.md "Overload").
     */
    record Ng(@JsonProperty("udp") String udp, @JsonProperty("tcp") String tcp, @JsonProperty("allowedSources") List<String> allowedSources,
            @JsonProperty("softInFlight") Integer softInFlight, @JsonProperty("overloadDelayMs") Integer overloadDelayMs) {}

    record Calls(@JsonProperty("accessInterfaces") List<String> accessInterfaces, @JsonProperty("coreInterfaces") List<String> coreInterfaces,
            @JsonProperty("defaultDirection") List<String> defaultDirection, @JsonProperty("e2aeByDefault") Boolean e2aeByDefault,
            @JsonProperty("refuseUnanchored") Boolean refuseUnanchored, @JsonProperty("maxCalls") Integer maxCalls,
            @JsonProperty("maxDeleteDelaySeconds") Integer maxDeleteDelaySeconds) {}

    static ControllerSettings empty() {
        return new ControllerSettings(null, null, null, null, null, null, null, null);
    }
}
