package org.mediasec.it.sip;

import java.nio.file.Path;
import java.util.List;
import org.mediasec.app.demo.ControllerProcess;
import org.mediasec.app.demo.GatewayProcess;

/**
 * A {@code mediasec controller} process with one {@code mediasec gateway} (IMS-AGW "agw1") registered with it, and an
 * ng client towards the controller: the SIP network's view of mediasec, for the tests that drive it over ng as
 * Kamailio would. What was started is stopped again if a later step fails.
 */
record ControllerWithGateway(ControllerProcess controller, GatewayProcess gateway, NgProbe ng) implements AutoCloseable {

    /** Starts both processes in {@code directory}, the controller with {@code settings} (YAML lines, may be empty). */
    static ControllerWithGateway start(Path directory, String settings) throws Exception {
        return start(directory, settings, "");
    }

    /** As {@link #start(Path, String)}, with {@code ngSettings} added to the controller's {@code ng:} map. */
    static ControllerWithGateway start(Path directory, String settings, String ngSettings) throws Exception {
        ControllerProcess controller = ControllerProcess.prepare("controller", directory);
        GatewayProcess gateway = null;
        try {
            gateway = GatewayProcess.start("agw1", directory, "ims-agw", controller.h248Port());
            controller.start(List.of(new ControllerProcess.Gateway("agw1", gateway.control().getPort())), settings, ngSettings);
            controller.awaitRegistrations(1);
            return new ControllerWithGateway(controller, gateway, new NgProbe(controller.ng()));
        } catch (Exception | AssertionError failed) {
            if (gateway != null) {
                gateway.close();
            }
            controller.close();
            throw failed;
        }
    }

    @Override
    public void close() throws Exception {
        try (controller; gateway; ng) {
            // closed in reverse order: the ng client, the gateway, then the controller
        }
    }
}
