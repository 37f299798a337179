package org.hgrpc.core.frame;

import java.util.Map;
import java.util.Optional;
import org.hgrpc.core.Framing;

/**
 * The frame types of the protocol, with their wire values and the reference's names. Two
 * values depend on the {@link Framing}: in 0005 type 8 is {@code stream-settings}; in 0006 type
 * 8 is {@code sender-protocol-settings} and {@code stream-settings} is 9.
 */
public enum FrameType {
  /** A request to run a command: its name and arguments as CBOR. */
  COMMAND_REQUEST(0x01, 0x01, "command-request", FrameFlags.FLAGS_COMMAND_REQUEST),
  /** Raw data sent along with a command request. */
  COMMAND_DATA(0x02, 0x02, "command-data", FrameFlags.FLAGS_COMMAND_DATA),
  /** Output of a command. */
  COMMAND_RESPONSE(0x03, 0x03, "command-response", FrameFlags.FLAGS_COMMAND_RESPONSE),
  /** An error, as a CBOR map with {@code type} and {@code message}. */
  ERROR_RESPONSE(0x05, 0x05, "error-response", Map.of()),
  /** Text meant for people, as CBOR atoms. */
  TEXT_OUTPUT(0x06, 0x06, "text-output", Map.of()),
  /** Progress of an operation. */
  PROGRESS(0x07, 0x07, "progress", Map.of()),
  /** 0006 only: the client's protocol settings (its content encodings), a CBOR map. */
  SENDER_PROTOCOL_SETTINGS(-1, 0x08, "sender-protocol-settings", FrameFlags.FLAGS_SETTINGS),
  /** Settings that apply to a stream, such as its encoding (8 in 0005, 9 in 0006). */
  STREAM_SETTINGS(0x08, 0x09, "stream-settings", FrameFlags.FLAGS_SETTINGS);

  private final int id0005;
  private final int id0006;
  private final String humanName;
  private final Map<String, Integer> flags;

  FrameType(int id0005, int id0006, String humanName, Map<String, Integer> flags) {
    this.id0005 = id0005;
    this.id0006 = id0006;
    this.humanName = humanName;
    this.flags = flags;
  }

  /** Whether {@code framing} defines this type. */
  public boolean existsIn(Framing framing) {
    return (framing == Framing.V0005 ? id0005 : id0006) >= 0;
  }

  /**
   * The 4-bit wire value in {@code framing}.
   *
   * @throws IllegalArgumentException if the framing has no such type
   */
  public int id(Framing framing) {
    int id = framing == Framing.V0005 ? id0005 : id0006;
    if (id < 0) {
      throw new IllegalArgumentException(humanName + " frames do not exist in framing " + framing);
    }
    return id;
  }

  /**
   * The wire value of a type that has the same one in every framing (all but the settings
   * types).
   *
   * @throws IllegalStateException for {@link #SENDER_PROTOCOL_SETTINGS} and {@link #STREAM_SETTINGS}
   */
  public int id() {
    if (id0005 != id0006) {
      throw new IllegalStateException("the id of " + humanName + " depends on the framing: use id(Framing)");
    }
    return id0005;
  }

  /** The reference's name, e.g. {@code command-request}. */
  public String humanName() {
    return humanName;
  }

  /** The names of this type's flags ({@code FRAME_TYPE_FLAGS}); empty for types without named flags. */
  public Map<String, Integer> flagNames(Framing framing) {
    // 0005 knew no flags for stream-settings.
    return framing == Framing.V0005 && this == STREAM_SETTINGS ? Map.of() : flags;
  }

  /** The type with wire value {@code id} in {@code framing}, if the framing defines one. */
  public static Optional<FrameType> fromId(Framing framing, int id) {
    for (FrameType t : values()) {
      if ((framing == Framing.V0005 ? t.id0005 : t.id0006) == id && id >= 0) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The type named {@code name} in {@code framing}'s tables, if any. */
  public static Optional<FrameType> fromHumanName(Framing framing, String name) {
    for (FrameType t : values()) {
      if (t.humanName.equals(name) && t.existsIn(framing)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
