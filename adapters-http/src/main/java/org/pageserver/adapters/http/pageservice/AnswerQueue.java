package org.pageserver.adapters.http.pageservice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import org.pageserver.application.port.in.ServePageStreamUseCase.PageStream;
import org.pageserver.domain.page.SmgrAnswer;
import org.pageserver.domain.page.SmgrRequest;

/**
 * The answers one pagestream owes, in the order of its requests. A request is tried on the event
 * loop first; one that would wait (its LSN has not arrived, a layer file must be downloaded) goes
 * to the page service's pool, and the answers after it wait in line until it is done, so a slow
 * read never reorders the stream. Too many answers owed stops reading from the socket until half
 * of them went out. Used on the connection's event loop only.
 */
final class AnswerQueue {
    private final ChannelHandlerContext ctx;
    private final PageStream stream;
    private final PageService service;
    /** Answers owed, oldest first; a null answer is still being worked out in the pool. */
    private final ArrayDeque<SmgrAnswer[]> owed = new ArrayDeque<>();
    private Runnable whenAnswered;
    private boolean paused;

    AnswerQueue(ChannelHandlerContext ctx, PageStream stream, PageService service) {
        this.ctx = ctx;
        this.stream = stream;
        this.service = service;
    }

    void submit(SmgrRequest request) {
        SmgrAnswer now = stream.answerNow(request);
        if (now != null && owed.isEmpty()) {
            write(now);
            return;
        }
        SmgrAnswer[] slot = {now};
        owed.add(slot);
        if (now == null) {
            service.runBlocking(() -> stream.answer(request), answer -> ctx.executor().execute(() -> {
                slot[0] = answer;
                drain();
            }));
        }
        if (!paused && owed.size() >= service.settings().maxInFlight()) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Runs {@code action} once every answer owed now is written (at once if none is owed). */
    void whenAnswered(Runnable action) {
        if (owed.isEmpty()) {
            action.run();
        } else {
            whenAnswered = action;
        }
    }

    /** Whether no answer is owed: the connection is idle only then. */
    boolean idle() {
        return owed.isEmpty();
    }

    private void drain() {
        while (!owed.isEmpty() && owed.peek()[0] != null) {
            write(owed.poll()[0]);
        }
        ctx.flush();
        if (paused && owed.size() <= service.settings().maxInFlight() / 2) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
        if (owed.isEmpty() && whenAnswered != null) {
            Runnable action = whenAnswered;
            whenAnswered = null;
            action.run();
        }
    }

    private void write(SmgrAnswer answer) {
        ByteBuf out = ctx.alloc().ioBuffer(PagestreamCodec.encodedSize(answer));
        PagestreamCodec.encode(answer, out);
        ctx.write(out);
        if (answer instanceof SmgrAnswer.Error && stream.stopped()) {
            // The timeline went away (deleted, detached, broken): as Neon, end the connection, so
            // that the compute connects again and finds where the timeline is now.
            ctx.flush();
            ctx.close();
        }
    }
}
