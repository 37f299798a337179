package org.hgrpc.repository.view;

/**
 * A revision symbol that does not resolve in a view, with Mercurial's message for it
 * ({@code unknown revision 'x'}, {@code filtered revision 'x' (not in 'served' subset)},
 * {@code 00changelog.i@x: ambiguous identifier}).
 */
public class LookupFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with Mercurial's message. */
  public LookupFailure(String message) {
    super(message);
  }
}
