package org.hgrpc.core;

/**
 * The generations of the frame-based protocol this project speaks, with the names peers use
 * for them: the media type of a body of frames and the name of the HTTP API that carries it.
 * This is the one definition of those names.
 *
 * <p>What changed from 0005 to 0006 (Mercurial 4.8): frame type 8 became <em>sender protocol
 * settings</em> (client to server) and <em>stream settings</em> moved from 8 to 9; streams
 * may be content-encoded (identity, zlib, zstd-8mb), negotiated through those two frames;
 * command requests may carry a {@code redirect} map; responses are only objects.
 */
public enum Framing {
  /** Mercurial 4.7's framing ({@code wireprotoframing.py} at 39604:335ae4d0a552). */
  V0005("application/mercurial-exp-framing-0005", "exp-http-v2-0001"),
  /** Mercurial 4.8's framing, with content encoding and sender protocol settings. */
  V0006("application/mercurial-exp-framing-0006", "exp-http-v2-0003");

  private final String mediaType;
  private final String httpApiName;

  Framing(String mediaType, String httpApiName) {
    this.mediaType = mediaType;
    this.httpApiName = httpApiName;
  }

  /** The media type of a body of frames, e.g. {@code application/mercurial-exp-framing-0006}. */
  public String mediaType() {
    return mediaType;
  }

  /** The HTTP API that carries this framing, e.g. {@code exp-http-v2-0003}. */
  public String httpApiName() {
    return httpApiName;
  }

  /** Whether streams of this framing may be content-encoded (and settings frames exist). */
  public boolean hasContentEncoding() {
    return this == V0006;
  }

  /** The framing whose media type is {@code mediaType} (parameters not allowed), if any. */
  public static java.util.Optional<Framing> fromMediaType(String mediaType) {
    for (Framing f : values()) {
      if (f.mediaType.equals(mediaType)) {
        return java.util.Optional.of(f);
      }
    }
    return java.util.Optional.empty();
  }

  /** The framing carried by the HTTP API named {@code name}, if any. */
  public static java.util.Optional<Framing> fromHttpApiName(String name) {
    for (Framing f : values()) {
      if (f.httpApiName.equals(name)) {
        return java.util.Optional.of(f);
      }
    }
    return java.util.Optional.empty();
  }
}
