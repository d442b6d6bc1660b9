package org.felund.api.node;

import org.felund.api.model.Circle;

/**
 * A new circle and the invite code that lets others join it.
 *
 * @param inviteCode the code with the node's default peer (see {@link NodeService#inviteCode}), or empty when no
 *            transport advertises an endpoint; {@code inviteCode(circleId, peerHint)} builds one with a given peer
 */
public record CreatedCircle(Circle circle, String inviteCode) {
}
