package org.hgrpc.bench.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** JSON in and out, with Jackson. */
public final class Json {
  private Json() {}

  /** The shared mapper. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** {@code value} as one line of JSON. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code value} as indented JSON. */
  public static String pretty(Object value) {
    try {
      return MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(String json) {
    try {
      return MAPPER.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }
}
