package org.hgrpc.server.exchange;

import org.hgrpc.core.Permission;

/**
 * Whether a request's commands may run now: the transport's concurrency budgets. An exchange
 * given one runs no command while the body arrives; once the body is complete and whole (no
 * refusal decided), it asks once, with the permission its commands need ({@link
 * Permission#PUSH} if any of them pushes), and runs them only if admitted. A slow client thus
 * holds no slot while it uploads, and pushes can be budgeted apart from reads.
 */
@FunctionalInterface
public interface Admission {

  /**
   * Admits the commands or refuses them.
   *
   * @param needed {@link Permission#PUSH} if any command of the request pushes, else {@link
   *     Permission#PULL}
   * @return null to run them, or the refusal to answer instead (e.g. {@link RefusalKind#BUSY})
   */
  ExchangeOutcome.Refusal admit(Permission needed);
}
