package org.hgrpc.repository.data;

import org.hgrpc.core.ByteString;

/**
 * One line of a flat manifest: a file, the node of its filelog revision, and its flags
 * ({@code l} symlink, {@code x} executable, empty for a regular file).
 *
 * @param path the file's path in the repository, as bytes
 * @param node the filelog revision's node
 * @param flags the flags, usually empty
 */
public record ManifestEntry(ByteString path, ByteString node, ByteString flags) {}
