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
 * read never reorders the stream.
 *
 * <p>Memory stays bounded whatever the client does: while the socket takes no more answers (the
 * client does not read them) or too many are owed, requests already received wait here unanswered
 * (a few dozen bytes each) and the connection stops reading from the socket until the answers
 * drain. Used on the connection's event loop only.
 */
final class AnswerQueue {
    private final ChannelHandlerContext ctx;
    private final PageStream stream;
    private final PageService service;
    /** Answers owed, oldest first; a null answer is still being worked out in the pool. */
    private final ArrayDeque<SmgrAnswer[]> owed = new ArrayDeque<>();
    /** Requests received while the answers could not go out: served once they can. */
    private final ArrayDeque<SmgrRequest> held = new ArrayDeque<>();
    private Runnable whenAnswered;
    private boolean reading = true;

    AnswerQueue(ChannelHandlerContext ctx, PageStream stream, PageService service) {
        this.ctx = ctx;
        this.stream = stream;
        this.service = service;
    }

    void submit(SmgrRequest request) {
        if (!held.isEmpty() || !canAnswer()) {
            held.add(request);
            updateReading();
            return;
        }
        serve(request);
        updateReading();
    }

    /** The socket takes answers again: serves what was held, as far as it goes. */
    void writable() {
        serveHeld();
        settle();
    }

    private boolean canAnswer() {
        return ctx.channel().isWritable() && owed.size() < service.settings().maxInFlight();
    }

    private void serveHeld() {
        while (!held.isEmpty() && canAnswer()) {
            serve(held.poll());
        }
    }

    private void serve(SmgrRequest request) {
        SmgrAnswer now = stream.answerNow(request);
        service.answered(now != null);
        if (now != null && owed.isEmpty()) {
            write(now);
            return;
        }
        SmgrAnswer[] slot = {now};
        owed.add(slot);
        if (now == null) {
            service.runBlocking(() -> stream.answer(request), answer -> {
                if (!ctx.executor().isShuttingDown()) {
                    ctx.executor().execute(() -> {
                        slot[0] = answer;
                        drain();
                    });
                }
            });
        }
    }

    /** Reads from the socket only while nothing is held back and fewer than half the limit of answers are owed. */
    private void updateReading() {
        boolean read = held.isEmpty() && ctx.channel().isWritable()
                && owed.size() < (reading ? service.settings().maxInFlight() : service.settings().maxInFlight() / 2);
        if (read != reading) {
            reading = read;
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Runs {@code action} once every answer owed now, and every request held, is answered (at once if none). */
    void whenAnswered(Runnable action) {
        if (owed.isEmpty() && held.isEmpty()) {
            action.run();
        } else {
            whenAnswered = action;
        }
    }

    /** Whether no answer is owed: the connection is idle only then. */
    boolean idle() {
        return owed.isEmpty() && held.isEmpty();
    }

    private void drain() {
        while (!owed.isEmpty() && owed.peek()[0] != null) {
            write(owed.poll()[0]);
        }
        serveHeld();
        settle();
    }

    /** Sends what was written, reads again if it may, and runs what waits for every answer. */
    private void settle() {
        ctx.flush();
        updateReading();
        if (idle() && whenAnswered != null) {
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
