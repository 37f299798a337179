/**
 * What the data commands read from a store: flat manifests, filelogs with their copy
 * metadata, revision deltas (stored and computed) emitted in Mercurial's order, narrow-style
 * path filters, and the raw store files of a stream clone.
 */
package org.hgrpc.repository.data;
