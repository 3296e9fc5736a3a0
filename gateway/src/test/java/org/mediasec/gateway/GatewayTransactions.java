package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;

/** The gateway tests' way in: H.248 action text in one transaction, straight to a {@link MediaGateway}. */
final class GatewayTransactions {

    private GatewayTransactions() {}

    /** Runs {@code actions} (one action's text) as transaction 1 and returns its reply, asserted free of errors. */
    static ActionReply accepted(MediaGateway gateway, String actions) throws Exception {
        String text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n" + actions + "\n}\n";
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0);
        ActionReply reply = gateway.onTransactionRequest(request).toCompletableFuture().get(10, TimeUnit.SECONDS).actions().get(0);
        assertThat(reply.error()).isEmpty();
        return reply;
    }
}
