/**
 * Writes that never corrupt: Mercurial's lock files, atomic replacement of small files, and the
 * pushkey updates of bookmarks and phases built on them.
 */
package org.hgrpc.repository.write;
