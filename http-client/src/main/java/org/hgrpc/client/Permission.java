package org.hgrpc.client;

import java.util.Optional;

/**
 * What a command needs the server to allow: reading ({@code pull}) or writing ({@code push}).
 * It picks the URL the command is posted to, {@code .../ro/...} or {@code .../rw/...}, which
 * is where a server checks its access rules.
 */
public enum Permission {
  /** Read access: posted to the {@code ro} URL. */
  PULL("pull", "ro"),
  /** Write access: posted to the {@code rw} URL. */
  PUSH("push", "rw");

  private final String wireName;
  private final String urlPart;

  Permission(String wireName, String urlPart) {
    this.wireName = wireName;
    this.urlPart = urlPart;
  }

  /** The name in a server's capabilities: {@code pull} or {@code push}. */
  public String wireName() {
    return wireName;
  }

  /** The URL path component: {@code ro} or {@code rw}. */
  public String urlPart() {
    return urlPart;
  }

  /** The permission a capabilities entry names, if it is one of ours. */
  public static Optional<Permission> fromWireName(String name) {
    for (Permission p : values()) {
      if (p.wireName.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
