package io.gpuplacer.service.api;

import io.gpuplacer.service.config.HttpSettings;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import jakarta.inject.Singleton;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1 connection must bring a whole request head (request line and headers) within
 * {@code gpuplacer.http.header-timeout} (20 s) of opening, and of the end of its previous answer; else it is
 * closed. Netty's idle handlers cannot tell a client that sends a header byte every few seconds (slowloris) from a
 * busy one, and Micronaut's idle timeout (5 minutes) kept such connections open; the body, once the head is in,
 * and the answer (a run's event stream) are not limited by this.
 */
@Singleton
public class HeaderDeadline implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private final long millis;

    public HeaderDeadline(HttpSettings settings) {
        this.millis = settings.headerTimeout().toMillis();
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new PerConnection(null));
        return event.getBean();
    }

    private final class PerConnection implements NettyServerCustomizer {
        private final Channel channel;

        PerConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new PerConnection(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
                channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, "gpuplacer-header"
                        + "-deadline", new Handler());
            }
        }
    }

    /** After the codec: sees each request head come in and each answer's end go out. */
    private final class Handler extends ChannelDuplexHandler {
        private ScheduledFuture<?> deadline;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            arm(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                disarm();
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            boolean last = msg instanceof LastHttpContent;
            super.write(ctx, msg, promise);
            if (last) {
                arm(ctx); // the next request's head is awaited from now
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            disarm();
        }

        private void arm(ChannelHandlerContext ctx) {
            disarm();
            deadline = ctx.executor().schedule(() -> {
                ctx.channel().close();
            }, millis, TimeUnit.MILLISECONDS);
        }

        private void disarm() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }
    }
}
