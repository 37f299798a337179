package org.hgrpc.core.cbor;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Jackson's CBOR generator extended with what Mercurial's CBOR needs and Jackson lacks: map
 * keys that are byte strings (Jackson writes text keys), booleans or null, and integers beyond
 * the range of {@code long} written as plain major type 0/1 items (Jackson would write a
 * bignum tag, which cborutil never does).
 */
final class HgCborGenerator extends CBORGenerator {

  /** Creates {@link HgCborGenerator}s; Jackson's own factory hard-wires its generator class. */
  static final class Factory extends CBORFactory {
    private static final long serialVersionUID = 1L;

    HgCborGenerator create(OutputStream out) throws IOException {
      IOContext ctxt = _createContext(_createContentReference(out), false);
      return new HgCborGenerator(ctxt, _generatorFeatures, _formatGeneratorFeatures, _objectCodec,
          _decorate(out, ctxt));
    }
  }

  private HgCborGenerator(IOContext ctxt, int stdFeatures, int formatFeatures, ObjectCodec codec,
      OutputStream out) {
    super(ctxt, stdFeatures, formatFeatures, codec, out);
  }

  /** Writes {@code header} (an encoded length marker) and {@code data} as a map key. */
  void writeRawFieldName(byte[] header, byte[] data, int offset, int length) throws IOException {
    claimFieldName();
    writeBytes(header, 0, header.length);
    if (length > 0) {
      writeBytes(data, offset, length);
    }
  }

  /** Writes an already encoded simple item (an integer header or {@code true}/{@code false}/{@code null}) as a map key. */
  void writeRawFieldName(byte[] item) throws IOException {
    claimFieldName();
    writeBytes(item, 0, item.length);
  }

  /** Writes an already encoded single item in value position, keeping Jackson's context right. */
  void writeRawValue(byte[] item) throws IOException {
    _verifyValueWrite("write value");
    writeBytes(item, 0, item.length);
  }

  /** Starts a value whose bytes the caller writes raw (an indefinite-length byte string). */
  void beginRawValue() throws IOException {
    _verifyValueWrite("write value");
  }

  private void claimFieldName() throws IOException {
    if (!_streamWriteContext.writeFieldName("")) {
      _reportError("Can not write a field name, expecting a value");
    }
  }
}
