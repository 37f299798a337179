package org.hgrpc.client.cli;

import org.hgrpc.core.Framing;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a framing option: {@code 0005} or {@code 0006} (the number of the media type
 * {@code application/mercurial-exp-framing-NNNN}), or that media type itself.
 */
final class FramingConverter implements ITypeConverter<Framing> {
  @Override
  public Framing convert(String value) {
    for (Framing f : Framing.values()) {
      if (f.mediaType().equals(value) || f.mediaType().endsWith("-" + value)) {
        return f;
      }
    }
    throw new TypeConversionException("unknown framing " + value + "; use 0005 or 0006");
  }
}
