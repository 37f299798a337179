package org.hgrpc.server.config;

/**
 * A configuration that cannot be used: an unreadable or malformed hgrc file (the message names
 * the file and line and quotes the line), a malformed {@code --config} option, or a value that
 * is not of its setting's type or outside its range (the message names the setting as
 * {@code section.key} and quotes the value).
 *
 * <p>The messages are Mercurial's where Mercurial has one, e.g.
 * {@code web.push_ssl is not a boolean ('maybe')}.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error with the given message.
   *
   * @param message what is wrong, and where
   */
  public ConfigException(String message) {
    super(message);
  }

  /**
   * An error with the given message, caused by {@code cause}.
   *
   * @param message what is wrong, and where
   * @param cause the underlying error, e.g. an {@link java.io.IOException}
   */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
