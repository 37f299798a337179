package org.hgrpc.repository.data;

import org.hgrpc.core.ByteString;

/**
 * One revision as a data command sends it ({@code irevisiondelta}): its node and parents, and,
 * when revision data was asked for, either its full text or a delta against
 * {@code baseNode}.
 *
 * @param rev the revision number in its store
 * @param node the node
 * @param p1 the first parent's node (the null node when none)
 * @param p2 the second parent's node
 * @param linkRev the changelog revision the store links it to
 * @param baseNode the node the delta applies to; the null node when {@code revision} is sent
 * @param revision the raw full text, or {@code null}
 * @param delta the binary delta against {@code baseNode}, or {@code null}
 */
public record EmittedRevision(int rev, ByteString node, ByteString p1, ByteString p2, int linkRev,
    ByteString baseNode, byte[] revision, byte[] delta) {}
