package org.hgrpc.core;

import java.util.Optional;

/**
 * What a command needs to be allowed to run: read access ({@code pull}) or write access
 * ({@code push}). One definition for both sides: a server declares it per command and checks
 * it against the URL a request came to; a client picks that URL from it, {@code .../ro/...}
 * or {@code .../rw/...}. Capabilities name it ({@code b'permissions': [b'pull']}).
 */
public enum Permission {
  /** Read access: posted to the {@code ro} URL (a server also allows it on {@code rw}). */
  PULL("pull", "ro"),
  /** Write access: posted to the {@code rw} URL, allowed only there and only to users who may push. */
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
