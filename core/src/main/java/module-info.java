/**
 * The hgrpc protocol without I/O. Every package is API except what its types hide as
 * package-private; see the package table in core's README.
 */
module org.hgrpc.core {
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires com.github.luben.zstd_jni;

  exports org.hgrpc.core;
  exports org.hgrpc.core.cbor;
  exports org.hgrpc.core.encoding;
  exports org.hgrpc.core.frame;
  exports org.hgrpc.core.literal;
  exports org.hgrpc.core.reactor;
  exports org.hgrpc.core.response;
}
