/**
 * The command SPI: implement {@link org.hgrpc.server.spi.Command} (or build one with
 * {@link org.hgrpc.server.spi.Command#of}) and register it with a
 * {@link org.hgrpc.server.CommandRegistry}, or ship a
 * {@link org.hgrpc.server.spi.CommandProvider} found by {@link java.util.ServiceLoader}.
 */
package org.hgrpc.server.spi;
