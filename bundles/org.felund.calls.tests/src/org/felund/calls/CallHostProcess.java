package org.felund.calls;

import java.nio.file.Path;

import org.felund.api.call.Call;

/**
 * A call's host in a process of its own, so that a test can kill it: a node on the given relay that starts a call
 * with the test tone and pattern, prints {@code SESSION <id>}, and then only keeps running.
 *
 * <pre>
 * java -cp &lt;test class path&gt; org.felund.calls.CallHostProcess HOME RELAY-URL
 * </pre>
 */
public final class CallHostProcess {
	private CallHostProcess() {
	}

	public static void main(String[] args) throws Exception {
		CallTestNode host = new CallTestNode(Path.of(args[0]), "host", args[1], "tone:440", "pattern:320x240@15", 6);
		Call call = host.calls.start(host.circle, "general");
		System.out.println("NODE " + host.id());
		System.out.println("SESSION " + call.sessionId());
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}
}
