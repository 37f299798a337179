/**
 * The {@code hgrpc} command-line tool ({@link org.hgrpc.client.cli.HgrpcCli}): frame files for
 * curl ({@code frames encode}, {@code frames decode}), CBOR as JSON ({@code cbor}), and calls to
 * a server ({@code capabilities}, {@code call}). Exit codes are {@link org.hgrpc.client.cli.ExitCodes}.
 */
package org.hgrpc.client.cli;
