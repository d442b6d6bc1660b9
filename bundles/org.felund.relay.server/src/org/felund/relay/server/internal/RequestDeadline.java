package org.felund.relay.server.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Closes a connection whose request does not arrive completely within the request timeout of its first byte: a
 * client that sends a byte now and then ("slowloris") would otherwise hold its connection and buffers for ever.
 * Sits in front of the HTTP codec, where it sees raw bytes; the API handler reports each complete request with
 * {@link #completed()}. Idle connections between requests are the idle handler's business.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
	private static final System.Logger LOG = System.getLogger(RequestDeadline.class.getName());

	private final long timeoutNanos;
	private ChannelHandlerContext ctx;
	private ScheduledFuture<?> deadline;
	private BooleanSupplier serving = () -> false;

	RequestDeadline(long timeoutMillis) {
		this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
	}

	/** While the relay itself is serving a request, a pipelined one behind it is not timed (it waits for us). */
	void servingWhile(BooleanSupplier busy) {
		this.serving = busy;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext c) {
		this.ctx = c;
	}

	@Override
	public void channelRead(ChannelHandlerContext c, Object msg) {
		if (deadline == null && msg instanceof ByteBuf buf && buf.isReadable()) {
			arm(timeoutNanos);
		}
		c.fireChannelRead(msg);
	}

	private void arm(long nanos) {
		deadline = ctx.executor().schedule(this::expired, nanos, TimeUnit.NANOSECONDS);
	}

	private void expired() {
		deadline = null;
		if (!ctx.channel().isActive()) {
			return;
		}
		if (serving.getAsBoolean()) {
			arm(timeoutNanos);
			return;
		}
		LOG.log(System.Logger.Level.DEBUG, "closing a connection whose request did not arrive within the request timeout");
		ctx.close();
	}

	/** A whole request has arrived (on the event loop). */
	void completed() {
		if (deadline != null) {
			deadline.cancel(false);
			deadline = null;
		}
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext c) {
		completed();
	}

	@Override
	public void channelInactive(ChannelHandlerContext c) throws Exception {
		completed();
		super.channelInactive(c);
	}
}
