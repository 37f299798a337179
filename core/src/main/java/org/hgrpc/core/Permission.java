package org.hgrpc.core;

import java.util.Optional;

/**
 * What a command needs to be allowed to run, as the protocol names it: read access ({@code
 * pull}) or write access ({@code push}). A server lists it per command in its capabilities
 * ({@code permissions}) and serves {@code push} commands only through the read-write URL; a
 * client picks the URL from it. The one definition for both sides.
 */
public enum Permission {
  /** Reads the repository: allowed through the {@code ro} and {@code rw} URLs. */
  PULL("pull", "ro"),
  /** Changes the repository: allowed only through the {@code rw} URL, for users allowed to push. */
  PUSH("push", "rw");

  private final String wireName;
  private final String urlPart;

  Permission(String wireName, String urlPart) {
    this.wireName = wireName;
    this.urlPart = urlPart;
  }

  /**
   * The name in capabilities.
   *
   * @return {@code pull} or {@code push}
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The component of the command URL ({@code /api/exp-http-v2-0001/PART/COMMAND}) a command of
   * this permission is posted to.
   *
   * @return {@code ro} or {@code rw}
   */
  public String urlPart() {
    return urlPart;
  }

  /**
   * The permission a capabilities entry names.
   *
   * @param name a wire name, e.g. {@code pull}
   * @return the permission, or empty if {@code name} is not one of ours
   */
  public static Optional<Permission> fromWireName(String name) {
    for (Permission p : values()) {
      if (p.wireName.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
