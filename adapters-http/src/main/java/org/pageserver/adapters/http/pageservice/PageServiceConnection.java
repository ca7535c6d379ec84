package org.pageserver.adapters.http.pageservice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import org.pageserver.adapters.http.auth.NeonClaims;
import org.pageserver.adapters.http.auth.ScopeCheck;
import org.pageserver.application.port.in.ServePageStreamUseCase.PageStream;
import org.pageserver.domain.error.Failures;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.page.SmgrRequest;

/**
 * One client of the page service, through the phases of Neon's protocol: start-up (an SSLRequest
 * refused with 'N', the StartupMessage), the password when tokens are required (the JWT, checked
 * as the HTTP API checks it), queries ({@code pagestream <tenant_id> <timeline_id>}), then the
 * copy-both stream, where each CopyData request gets its answer in order ({@link AnswerQueue}).
 * Everything here runs on the connection's event loop.
 */
final class PageServiceConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = System.getLogger(PageServiceConnection.class.getName());

    private enum Phase { STARTUP, PASSWORD, QUERIES, PAGESTREAM }

    private final PageService service;
    private Phase phase = Phase.STARTUP;
    private NeonClaims claims;
    private AnswerQueue answers;
    /** A stream that ended and still owes answers. */
    private AnswerQueue draining;

    PageServiceConnection(PageService service) {
        this.service = service;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!service.admit()) {
            ByteBuf out = ctx.alloc().buffer();
            PgWire.errorResponse(out, PgWire.TOO_MANY_CONNECTIONS, "sorry, too many clients already: the page service"
                    + " takes " + service.settings().maxConnections() + " connections");
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().closeFuture().addListener(f -> service.leave());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        PgFrame frame = (PgFrame) message;
        try {
            switch (phase) {
                case STARTUP -> startup(ctx, frame.body());
                case PASSWORD -> password(ctx, frame);
                case QUERIES -> query(ctx, frame);
                case PAGESTREAM -> pagestream(ctx, frame);
                default -> throw new IllegalStateException(phase.name());
            }
        } finally {
            frame.body().release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (AnswerQueue queue : new AnswerQueue[] {answers, draining}) {
                if (queue != null) {
                    queue.writable();
                }
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Answers given during this read go out in one write: pipelined requests share syscalls.
        ctx.flush();
    }

    private void startup(ChannelHandlerContext ctx, ByteBuf body) {
        int code = body.readInt();
        if (code == PgFrameDecoder.SSL_REQUEST || code == PgFrameDecoder.GSSENC_REQUEST) {
            ctx.write(PgWire.noEncryption(ctx.alloc()));
            return;
        }
        if (code == PgFrameDecoder.CANCEL_REQUEST) {
            // Nothing to cancel: requests are answered in order, none runs on its own.
            ctx.close();
            return;
        }
        // The StartupMessage's parameters (user, database, ...) choose nothing here, as in Neon.
        ByteBuf out = ctx.alloc().buffer();
        if (service.tokens() != null) {
            phase = Phase.PASSWORD;
            ctx.write(PgWire.authenticationCleartextPassword(out));
            return;
        }
        PgWire.authenticationOk(out);
        PgWire.parameterStatus(out, "client_encoding", "UTF8");
        PgWire.parameterStatus(out, "integer_datetimes", "on");
        PgWire.parameterStatus(out, "server_version", "14.1");
        PgWire.readyForQuery(out);
        phase = Phase.QUERIES;
        ctx.write(out);
    }

    private void password(ChannelHandlerContext ctx, PgFrame frame) {
        if (frame.type() != 'p' || !frame.body().isReadable()) {
            failConnection(ctx, PgWire.INTERNAL_ERROR, "protocol violation: expected a password message");
            return;
        }
        // The body is the token and its terminating NUL.
        String token = frame.body().toString(frame.body().readerIndex(), frame.body().readableBytes() - 1,
                java.nio.charset.StandardCharsets.UTF_8);
        Optional<NeonClaims> checked = service.tokens().claims(token);
        if (checked.isEmpty()) {
            failConnection(ctx, PgWire.INTERNAL_ERROR, "JWT authentication error");
            return;
        }
        claims = checked.get();
        ByteBuf out = ctx.alloc().buffer();
        PgWire.authenticationOk(out);
        PgWire.parameterStatus(out, "client_encoding", "UTF8");
        PgWire.readyForQuery(out);
        phase = Phase.QUERIES;
        ctx.write(out);
    }

    private void query(ChannelHandlerContext ctx, PgFrame frame) {
        switch (frame.type()) {
            case 'Q' -> runQuery(ctx, PgWire.cString(frame.body()));
            case 'S' -> ctx.write(PgWire.readyForQuery(ctx.alloc().buffer(6)));
            case 'X' -> ctx.close();
            default -> failConnection(ctx, PgWire.CONNECTION_FAILURE, "unexpected message type: " + (char) frame.type());
        }
    }

    private void runQuery(ChannelHandlerContext ctx, String query) {
        ByteBuf out = ctx.alloc().buffer();
        try {
            if (!query.startsWith("pagestream ")) {
                throw new IllegalArgumentException("unknown command " + query);
            }
            String[] params = query.substring("pagestream ".length()).split(" ", -1);
            if (params.length != 2) {
                throw new IllegalArgumentException("invalid param number for pagestream command");
            }
            TenantId tenant = id(params[0], "tenant", TenantId::parse);
            TimelineId timeline = id(params[1], "timeline", TimelineId::parse);
            if (claims != null) {
                Optional<String> denied = ScopeCheck.denial(claims, Optional.of(tenant));
                if (denied.isPresent()) {
                    throw new IllegalArgumentException(denied.get());
                }
            }
            PageStream stream = service.pages().open(tenant, timeline);
            answers = new AnswerQueue(ctx, stream, service);
            phase = Phase.PAGESTREAM;
            ctx.write(PgWire.copyBothResponse(out));
        } catch (IllegalArgumentException | PageserverException e) {
            PgWire.errorResponse(out, PgWire.INTERNAL_ERROR, e.getMessage());
            ctx.write(PgWire.readyForQuery(out));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "page service query failed: " + query, e);
            PgWire.errorResponse(out, PgWire.INTERNAL_ERROR, Failures.describe(e));
            ctx.write(PgWire.readyForQuery(out));
        }
    }

    private static <T> T id(String text, String what, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Failed to parse " + what + " id from " + text + ": " + e.getMessage());
        }
    }

    private void pagestream(ChannelHandlerContext ctx, PgFrame frame) {
        switch (frame.type()) {
            case 'd' -> {
                SmgrRequest request;
                try {
                    request = PagestreamCodec.decode(frame.body());
                } catch (PagestreamFormatException | IllegalArgumentException e) {
                    endStream(ctx, e.getMessage());
                    return;
                }
                answers.submit(request);
            }
            case 'X' -> answers.whenAnswered(ctx::close);
            default -> endStream(ctx, "unexpected message: " + describe(frame.type()) + " during COPY");
        }
    }

    /** Ends the stream with an ErrorResponse after the answers still owed; the connection takes queries again. */
    private void endStream(ChannelHandlerContext ctx, String message) {
        AnswerQueue ending = answers;
        answers = null;
        draining = ending;
        phase = Phase.QUERIES;
        ending.whenAnswered(() -> {
            draining = null;
            ByteBuf out = ctx.alloc().buffer();
            PgWire.errorResponse(out, PgWire.INTERNAL_ERROR, message);
            ctx.writeAndFlush(PgWire.readyForQuery(out));
        });
    }

    private static String describe(byte type) {
        return switch (type) {
            case 'c' -> "CopyDone";
            case 'f' -> "CopyFail";
            case 'S' -> "Sync";
            case 'Q' -> "Query";
            default -> "message '" + (char) type + "'";
        };
    }

    /** An ErrorResponse, then the connection ends. */
    private static void failConnection(ChannelHandlerContext ctx, String sqlState, String message) {
        ctx.writeAndFlush(PgWire.errorResponse(ctx.alloc().buffer(), sqlState, message)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && (answers == null || answers.idle())) {
            failConnection(ctx, PgWire.CONNECTION_FAILURE, "the connection was idle for "
                    + service.settings().idleTimeout().toSeconds() + " s");
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (root instanceof PgProtocolException) {
            failConnection(ctx, PgWire.CONNECTION_FAILURE, "Protocol error: " + root.getMessage());
            return;
        }
        if (!(root instanceof java.io.IOException)) {
            LOG.log(Level.WARNING, "page service connection failed", root);
        }
        ctx.close();
    }
}
