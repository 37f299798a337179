/**
 * What a repository's files mean: changesets, phases, bookmarks, tags, obsolescence markers and
 * the working directory's parents, each parsed (and, for pushkey, written) as Mercurial does.
 */
package org.hgrpc.repository.model;
