package org.mediasec.gateway.command;

import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.context.ContextTable;
import org.mediasec.gateway.context.MediaServices;

/** What the command handlers work with: the configuration (profile, realms, TLS domains), the contexts, the media services. */
record CommandEnvironment(GatewayConfig config, ContextTable contexts, MediaServices services) {}
