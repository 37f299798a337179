/**
 * The repository commands of the reference server ({@code wireprotov2server.py}:
 * {@code branchmap}, {@code heads}, {@code known}, {@code listkeys}, {@code lookup},
 * {@code pushkey}), offered through the command SPI by
 * {@link org.hgrpc.repository.server.RepositoryCommandProvider}.
 */
package org.hgrpc.repository.server;
