package org.mediasec.kms.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.mediasec.kms.KmsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange: checks method, path and content type, hands the MIKEY body to the service, answers. When the
 * workers' queue is full the request is answered 503 with Retry-After and the connection closed (SEC-4).
 *
 * <p>Thread rule: one instance per connection; its methods run on the connection's event loop, the handler on a worker.
 */
final class KmsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(KmsHttpHandler.class);
    /** Seconds a refused client is asked to wait: about what the full queue takes to drain. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final KmsServer.RequestHandler service;
    private final Executor blocking;
    private final Runnable busy;

    /** {@code blocking}: where the service runs (it reads and writes the database), never the event loop; {@code busy}: counts a refusal. */
    KmsHttpHandler(KmsServer.RequestHandler service, Executor blocking, Runnable busy) {
        this.service = service;
        this.blocking = blocking;
        this.busy = busy;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            send(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"), false);
            return;
        }
        String path = request.uri().split("\\?", 2)[0];
        if (!path.equals(KmsServer.PATH)) {
            send(ctx, request, text(HttpResponseStatus.NOT_FOUND, "the KMS answers POST " + KmsServer.PATH), true);
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "POST a MIKEY message");
            response.headers().set(HttpHeaderNames.ALLOW, "POST");
            send(ctx, request, response, true);
            return;
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.split(";", 2)[0].trim().equalsIgnoreCase(KmsServer.CONTENT_TYPE)) {
            send(ctx, request, text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + KmsServer.CONTENT_TYPE), true);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        // one request at a time per connection: the next is read once this one is answered (responses stay in order)
        ctx.channel().config().setAutoRead(false);
        try {
            blocking.execute(() -> {
                KmsService.Reply reply = service.handle(body);
                HttpResponseStatus status = switch (reply.outcome()) {
                    case OK -> HttpResponseStatus.OK;
                    case MALFORMED -> HttpResponseStatus.BAD_REQUEST;
                    case REFUSED -> HttpResponseStatus.FORBIDDEN;
                };
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(reply.message()));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, KmsServer.CONTENT_TYPE);
                send(ctx, keepAlive, response, true);
                ctx.channel().config().setAutoRead(true);
            });
        } catch (RejectedExecutionException refused) {
            boolean shuttingDown = blocking instanceof ExecutorService executor && executor.isShutdown();
            FullHttpResponse response = text(HttpResponseStatus.SERVICE_UNAVAILABLE, shuttingDown ? "the KMS is shutting down" : "the KMS is busy: try again");
            if (!shuttingDown) {
                busy.run();
                response.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            }
            send(ctx, false, response, false);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");
        return response;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keepAliveAllowed) {
        send(ctx, HttpUtil.isKeepAlive(request), response, keepAliveAllowed);
    }

    private static void send(ChannelHandlerContext ctx, boolean requestedKeepAlive, FullHttpResponse response, boolean keepAliveAllowed) {
        boolean keepAlive = keepAliveAllowed && requestedKeepAlive;
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("KMS connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
