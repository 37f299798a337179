/**
 * Python literal syntax, as Mercurial's reference implementation writes and reads it.
 *
 * <p>Mercurial's human-readable frame strings ({@code cbor:<literal>} payloads) and the
 * project's conformance vectors spell protocol values as Python literals such as
 * {@code {b'name': b'heads', b'args': {}}}. {@link org.hgrpc.core.literal.PythonLiteral}
 * converts between that syntax and hgrpc's Java value model; behind it, a parser, a renderer
 * (keys in {@link org.hgrpc.core.cbor.CanonicalOrder}, bytes as
 * {@link org.hgrpc.core.ByteString#toString()}) and Python's escapes. This package depends on
 * {@code cbor} and the root package, never the reverse.
 */
package org.hgrpc.core.literal;
