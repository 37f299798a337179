package org.hgrpc.repository.write;

/** A Mercurial lock stayed held by someone else for longer than the timeout. */
public class LockTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming the lock and its holder. */
  public LockTimeoutException(String message) {
    super(message);
  }
}
