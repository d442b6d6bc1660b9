package org.felund.api.node;

import org.felund.api.model.Circle;

/** A new circle and the invite code that lets others join it. */
public record CreatedCircle(Circle circle, String inviteCode) {
}
