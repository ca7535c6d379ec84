package org.pageserver.adapters.http.pageservice;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.pageserver.adapters.http.auth.AuthType;
import org.pageserver.adapters.http.auth.TokenCheck;
import org.pageserver.adapters.http.auth.ValidationKeys;
import org.pageserver.application.port.in.ServePageStreamUseCase;
import org.pageserver.domain.page.SmgrAnswer;

/**
 * The page service's port: Netty's event loops (one per core) take the connections and answer
 * the reads that need not wait; a bounded pool answers those that must. Started with the
 * application, so a port that cannot be bound stops the start.
 */
@Context
@Requires(beans = ServePageStreamUseCase.class)
public final class PageService {
    private static final Logger LOG = System.getLogger(PageService.class.getName());
    /** Reads that may wait in line for the pool; beyond it a read is answered with an error at once. */
    private static final int QUEUED_READS = 10_000;

    private final PageServiceSettings settings;
    private final ServePageStreamUseCase pages;
    private final TokenCheck tokens;
    private final AtomicInteger connections = new AtomicInteger();
    /** Requests answered on the event loop that received them, and in the pool. */
    private final LongAdder answeredOnEventLoop = new LongAdder();
    private final LongAdder answeredInPool = new LongAdder();
    private final ThreadPoolExecutor blocking;
    private final EventLoopGroup loops;
    private final Channel server;

    PageService(ServePageStreamUseCase pages, @Nullable ValidationKeys keys, @Nullable MeterRegistry registry,
                @Value("${pageserver.listen-pg-addr:`127.0.0.1:64000`}") String listen,
                @Value("${" + AuthType.PG_PROPERTY + ":Trust}") String authType,
                @Value("${pageserver.page-service.max-connections:1000}") int maxConnections,
                @Value("${pageserver.page-service.idle-timeout:10m}") Duration idleTimeout,
                @Value("${pageserver.page-service.blocking-threads:64}") int blockingThreads,
                @Value("${pageserver.page-service.max-in-flight:1024}") int maxInFlight) {
        this.settings = new PageServiceSettings(PageServiceSettings.address(listen), AuthType.parse(AuthType.PG_PROPERTY,
                authType), maxConnections, idleTimeout, blockingThreads, maxInFlight);
        this.pages = pages;
        this.tokens = settings.authType() == AuthType.NeonJWT ? new TokenCheck(keys) : null;
        this.blocking = new ThreadPoolExecutor(blockingThreads, blockingThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_READS), new DefaultThreadFactory("page-service-read", true));
        blocking.allowCoreThreadTimeOut(true);
        if (registry != null) {
            Gauge.builder("pageserver.live.connections", connections, AtomicInteger::get)
                    .description("Connections open now").tag("pageserver_connection_kind", "page_service")
                    .register(registry);
            for (var where : java.util.Map.of("event_loop", answeredOnEventLoop, "pool", answeredInPool).entrySet()) {
                FunctionCounter.builder("pageserver.page.service.requests", where.getValue(), LongAdder::sum)
                        .description("Page service requests answered, by where: on the event loop that received"
                                + " them, or in the pool for reads that wait").tag("answered", where.getKey())
                        .register(registry);
            }
        }
        this.loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("page-service", true), NioIoHandler.newFactory());
        PageService service = this;
        this.server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                new PgFrameDecoder(), new PageServiceConnection(service));
                    }
                })
                .bind(settings.listen()).syncUninterruptibly().channel();
        LOG.log(Level.INFO, "page service listening on {0} ({1})", server.localAddress(), settings.authType());
    }

    /** The port the service listens on (the one chosen when the setting's port is 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    PageServiceSettings settings() {
        return settings;
    }

    ServePageStreamUseCase pages() {
        return pages;
    }

    /** The token check, or null when the service trusts everyone. */
    TokenCheck tokens() {
        return tokens;
    }

    /** Counts a new connection in; false if the limit is reached (it is not counted then). */
    boolean admit() {
        if (connections.incrementAndGet() > settings.maxConnections()) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void leave() {
        connections.decrementAndGet();
    }

    /** Counts a request answered on its event loop ({@code true}) or in the pool. */
    void answered(boolean onEventLoop) {
        (onEventLoop ? answeredOnEventLoop : answeredInPool).increment();
    }

    /** Works out an answer in the pool and hands it to {@code done}; when the pool is full, an error at once. */
    void runBlocking(Supplier<SmgrAnswer> read, Consumer<SmgrAnswer> done) {
        try {
            blocking.execute(() -> {
                SmgrAnswer answer;
                try {
                    answer = read.get();
                } catch (Throwable e) {
                    // Even then the stream gets its answer, or every answer after it would wait forever.
                    LOG.log(Level.ERROR, "a page service read failed", e);
                    answer = new SmgrAnswer.Error("the read failed: " + e);
                }
                done.accept(answer);
            });
        } catch (RejectedExecutionException e) {
            done.accept(new SmgrAnswer.Error("the page service is overloaded: " + QUEUED_READS + " reads wait already"));
        }
    }

    @PreDestroy
    void close() {
        server.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
    }
}
