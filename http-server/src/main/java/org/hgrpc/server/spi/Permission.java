package org.hgrpc.server.spi;

/** What a command needs to be allowed to run: read access ({@code pull}) or write access ({@code push}). */
public enum Permission {
  /** Reads the repository; allowed on {@code ro} and {@code rw} URLs. */
  PULL("pull"),
  /** Changes the repository; allowed only on {@code rw} URLs, for users allowed to push. */
  PUSH("push");

  private final String wireName;

  Permission(String wireName) {
    this.wireName = wireName;
  }

  /** The name Mercurial uses in capabilities: {@code pull} or {@code push}. */
  public String wireName() {
    return wireName;
  }
}
