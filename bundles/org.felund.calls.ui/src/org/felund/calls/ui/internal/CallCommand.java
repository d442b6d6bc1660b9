package org.felund.calls.ui.internal;

import java.util.List;
import java.util.Optional;

import org.felund.api.call.Call;
import org.felund.api.call.CallService;
import org.felund.api.model.Member;
import org.felund.api.node.NodeService;
import org.felund.ui.contrib.ChatCommand;
import org.felund.ui.contrib.ChatContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /call start|join|view|leave|end|revoke} in the composer. Refusals of the service (not the host, the viewer
 * cap, already in another call) come back as the line's error, worded by the service.
 */
@Component(service = ChatCommand.class)
public final class CallCommand implements ChatCommand {
	private static final List<Usage> USAGES = List.of(new Usage("/call start", "", "start a call in this channel"),
			new Usage("/call join", "[call]", "join the call (the newest of this circle unless named)"),
			new Usage("/call view", "[call]", "watch the call: receive the host's media, send nothing"),
			new Usage("/call leave", "", "leave the call you are in"),
			new Usage("/call end", "", "end your call for everyone (host)"),
			new Usage("/call revoke", "<member>", "remove someone from your call (host)"));

	@Reference
	CallService calls;

	@Reference
	NodeService node;

	/** For tests and embedding; DS uses the fields. */
	public CallCommand() {
	}

	CallCommand(CallService calls, NodeService node) {
		this.calls = calls;
		this.node = node;
	}

	@Override
	public String name() {
		return "/call";
	}

	@Override
	public List<Usage> usages() {
		return USAGES;
	}

	@Override
	public void run(List<String> arguments, ChatContext context) {
		if (arguments.isEmpty()) {
			throw new IllegalArgumentException(usage());
		}
		String verb = arguments.get(0).toLowerCase(java.util.Locale.ROOT);
		String argument = arguments.size() > 1 ? arguments.get(1) : "";
		try {
			switch (verb) {
			case "start" -> {
				String circle = context.circleId().orElseThrow(() -> new IllegalArgumentException(
						"Open a channel first: a call starts in the channel you are in"));
				Call call = calls.start(circle, context.channelId().orElse("general"));
				context.print("You started a call in #" + call.channelId() + " (F4 shows it)");
			}
			case "join" -> {
				Call call = calls.join(target(argument, context).sessionId());
				context.print("You joined the call in #" + call.channelId());
			}
			case "view" -> {
				Call call = calls.view(target(argument, context).sessionId());
				context.print("You are watching the call in #" + call.channelId());
			}
			case "leave" -> {
				Call call = mine();
				calls.leave(call.sessionId());
				context.print("You left the call in #" + call.channelId());
			}
			case "end" -> {
				Call call = mine();
				calls.end(call.sessionId());
				context.print("You ended the call in #" + call.channelId());
			}
			case "revoke" -> {
				Call call = mine();
				String nodeId = member(call, argument);
				calls.revoke(call.sessionId(), nodeId);
				context.print("You removed " + nameOf(call.circleId(), nodeId) + " from the call");
			}
			default -> throw new IllegalArgumentException(usage());
			}
		} catch (IllegalStateException e) {
			throw new IllegalArgumentException(e.getMessage(), e);
		}
	}

	private static String usage() {
		return "Usage: /call start | join [call] | view [call] | leave | end | revoke <member>";
	}

	private Call mine() {
		return calls.current().orElseThrow(() -> new IllegalArgumentException("You are not in a call"));
	}

	/** A call named by the start of its session id, else the newest open call of the circle shown. */
	private Call target(String named, ChatContext context) {
		if (!named.isEmpty()) {
			String circle = context.circleId().orElse("");
			List<Call> candidates = (circle.isEmpty() ? List.<Call>of() : calls.calls(circle)).stream()
					.filter(c -> c.sessionId().startsWith(named)).toList();
			if (candidates.size() == 1) {
				return candidates.get(0);
			}
			Optional<Call> exact = calls.call(named).filter(c -> !c.ended());
			return exact.orElseThrow(() -> new IllegalArgumentException(candidates.isEmpty()
					? "No call " + named + " in this circle" : "Several calls start with " + named));
		}
		String circle = context.circleId()
				.orElseThrow(() -> new IllegalArgumentException("Open a channel of the circle whose call to take"));
		List<Call> open = calls.calls(circle);
		if (open.isEmpty()) {
			throw new IllegalArgumentException("No call in this circle: /call start begins one");
		}
		return open.get(open.size() - 1);
	}

	/** A member of the call by display name or node id (or its start). */
	private String member(Call call, String who) {
		if (who.isEmpty()) {
			throw new IllegalArgumentException("Usage: /call revoke <member>");
		}
		List<String> inCall = new java.util.ArrayList<>(call.participants());
		inCall.addAll(call.viewers());
		List<String> matches = inCall.stream().filter(id -> id.startsWith(who)
				|| nameOf(call.circleId(), id).equalsIgnoreCase(who)).distinct().toList();
		if (matches.size() != 1) {
			throw new IllegalArgumentException(matches.isEmpty() ? who + " is not in the call"
					: "Several people in the call match " + who + ": use the node id");
		}
		return matches.get(0);
	}

	private String nameOf(String circleId, String nodeId) {
		return CallPart.displayName(node, circleId, nodeId);
	}
}
