package org.mediasec.testsupport;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link RequiresPeer}: enabled when every command is found; skipped, or failed in CI, otherwise. */
final class PeerCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<RequiresPeer> peers = new ArrayList<>();
        context.getElement().ifPresent(element -> peers.addAll(AnnotationSupport.findRepeatableAnnotations(element, RequiresPeer.class)));
        List<String> missing = new ArrayList<>();
        for (RequiresPeer peer : peers) {
            if (Peers.find(peer.command()).isEmpty()) {
                missing.add(peer.command() + " (apt-get install " + peer.debianPackage() + ")");
            }
        }
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("peers present");
        }
        String message = "missing peer: " + String.join(", ", missing);
        if (Peers.inCi()) {
            // an ExecutionCondition cannot fail a test; an exception from it does, which is what CI needs
            throw new ExtensionConfigurationException(message + " — CI must install it (.ci/run)");
        }
        return ConditionEvaluationResult.disabled(message);
    }
}
