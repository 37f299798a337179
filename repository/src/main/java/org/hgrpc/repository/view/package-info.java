/**
 * Mercurial's views of a repository: a {@link org.hgrpc.repository.view.RepoState} snapshot,
 * the filtered {@link org.hgrpc.repository.view.RepoView}s ({@code served}, {@code visible},
 * {@code immutable}, ...), branch heads, tags, and revision lookup as {@code scmutil.revsymbol}.
 */
package org.hgrpc.repository.view;
