package org.hgrpc.repository;

/**
 * A repository that cannot be read as Mercurial wrote it: a missing or malformed file, a
 * requirement we do not support, a revision whose hash does not match. The message names the
 * file or the requirement, so that whoever runs the server can act on it.
 */
public class RepositoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message for the operator. */
  public RepositoryException(String message) {
    super(message);
  }

  /** An error with a message for the operator and its cause. */
  public RepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
