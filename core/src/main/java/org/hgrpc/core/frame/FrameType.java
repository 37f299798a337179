package org.hgrpc.core.frame;

import java.util.Optional;

/** The frame types of the protocol, with their wire values and the reference's names. */
public enum FrameType {
  /** A request to run a command: its name and arguments as CBOR. */
  COMMAND_REQUEST(0x01, "command-request"),
  /** Raw data sent along with a command request. */
  COMMAND_DATA(0x02, "command-data"),
  /** Output of a command. */
  COMMAND_RESPONSE(0x03, "command-response"),
  /** An error, as a CBOR map with {@code type} and {@code message}. */
  ERROR_RESPONSE(0x05, "error-response"),
  /** Text meant for people, as CBOR atoms. */
  TEXT_OUTPUT(0x06, "text-output"),
  /** Progress of an operation. */
  PROGRESS(0x07, "progress"),
  /** Settings that apply to a stream, such as its encoding. */
  STREAM_SETTINGS(0x08, "stream-settings");

  private static final FrameType[] BY_ID = new FrameType[16];

  static {
    for (FrameType t : values()) {
      BY_ID[t.id] = t;
    }
  }

  private final int id;
  private final String humanName;

  FrameType(int id, String humanName) {
    this.id = id;
    this.humanName = humanName;
  }

  /** The 4-bit wire value. */
  public int id() {
    return id;
  }

  /** The reference's name, e.g. {@code command-request}. */
  public String humanName() {
    return humanName;
  }

  /** The type with wire value {@code id}, if the protocol defines one. */
  public static Optional<FrameType> fromId(int id) {
    return id >= 0 && id < BY_ID.length ? Optional.ofNullable(BY_ID[id]) : Optional.empty();
  }

  /** The type named {@code name} in the reference's tables, if any. */
  public static Optional<FrameType> fromHumanName(String name) {
    for (FrameType t : values()) {
      if (t.humanName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
