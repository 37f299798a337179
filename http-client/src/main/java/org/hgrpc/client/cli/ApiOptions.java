package org.hgrpc.client.cli;

import java.util.List;
import org.hgrpc.client.HgrpcClient;
import org.hgrpc.core.Framing;
import org.hgrpc.core.encoding.ContentEncodings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options choosing how a client talks to the server: which API ({@code --api}, else the
 * handshake chooses, 0003 before 0001) and which content encodings it offers with 0003.
 */
final class ApiOptions {
  @Option(names = "--api", paramLabel = "API", converter = ApiConverter.class,
      description = "Use this API: 0003 (exp-http-v2-0003, framing 0006) or 0001 (exp-http-v2-0001, framing 0005); "
          + "fails if the server does not offer it (default: 0003 if the server offers it, else 0001).")
  Framing api;

  @Option(names = "--encoders", paramLabel = "NAMES", split = ",", converter = EncodingConverter.class,
      description = "With API 0003, the content encodings offered to the server, most preferred first, comma "
          + "separated (default: zstd-8mb,zlib,identity).")
  List<String> encoders;

  /** Sets these options on {@code builder}. */
  void applyTo(HgrpcClient.Builder builder) {
    if (api != null) {
      builder.framing(api);
    }
    if (encoders != null) {
      builder.contentEncoders(encoders);
    }
  }

  /** Reads {@code --api}: {@code 0003}, {@code 0001} or the full API name. */
  static final class ApiConverter implements ITypeConverter<Framing> {
    @Override
    public Framing convert(String value) {
      for (Framing f : Framing.values()) {
        if (f.httpApiName().equals(value) || f.httpApiName().endsWith("-" + value)) {
          return f;
        }
      }
      throw new TypeConversionException("unknown API " + value + "; use 0003 or 0001");
    }
  }

  /** Checks each {@code --encoders} name before any connection: an unknown one is an invalid option. */
  static final class EncodingConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!ContentEncodings.known().contains(value)) {
        throw new TypeConversionException("unknown content encoding " + value + "; known: "
            + String.join(", ", ContentEncodings.known()));
      }
      return value;
    }
  }
}
