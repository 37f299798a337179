/**
 * Mercurial repositories on disk, read in pure Java: {@link org.hgrpc.repository.HgRepository}
 * opens one and hands out consistent {@link org.hgrpc.repository.view.RepoState snapshots}.
 *
 * <p>Sub-packages: {@code store} (requirements and file names), {@code revlog} (revision logs),
 * {@code model} (changesets, phases, bookmarks, tags, obsolescence markers), {@code view}
 * (Mercurial's filtered views and revision lookup), {@code write} (locks and atomic writes for
 * pushkey) and {@code server} (the wire protocol commands).
 */
package org.hgrpc.repository;
