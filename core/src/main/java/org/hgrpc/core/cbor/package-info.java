/**
 * The CBOR subset Mercurial uses, encoded as {@code cborutil.streamencode} does and decoded as
 * {@code cborutil.sansiodecoder} does: byte strings (map keys too), canonical sorted keys,
 * definite lengths, sets as tag 258 and indefinite-length byte strings in chunks.
 */
package org.hgrpc.core.cbor;
