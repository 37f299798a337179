/**
 * Server configuration the way Mercurial reads it: hgrc files, {@code --config} overrides,
 * hgweb's permission rules and the server's settings.
 *
 * <ul>
 *   <li>{@link org.hgrpc.server.config.HgrcConfig}: an immutable hgrc configuration, parsed as
 *       Mercurial's {@code config.py} parses files ({@code [section]}, {@code key = value},
 *       continuation lines, comments, {@code %include}, {@code %unset}), with Mercurial's value
 *       conversions ({@code configbool}, {@code configint}, {@code configbytes},
 *       {@code configlist}); {@code HgrcParser} reads the files into an {@code
 *       HgrcConfigBuilder} (both package-private);
 *   <li>{@link org.hgrpc.server.config.ConfigValues} and {@link
 *       org.hgrpc.server.config.ConfigList}: those conversions on their own (booleans, integers,
 *       byte counts, Python's ASCII whitespace; Mercurial's quoted lists);
 *   <li>{@link org.hgrpc.server.config.AccessControl}: hgweb's {@code checkauthz} as a pure
 *       function of the configuration and the request;
 *   <li>{@link org.hgrpc.server.config.ServerSettings}: everything the servlet needs, read and
 *       validated once from a configuration or from servlet init parameters;
 *   <li>{@link org.hgrpc.server.config.ConfigException}: what every malformed file, value or
 *       option raises, with a message naming the file and line or the setting.
 * </ul>
 *
 * <p>Everything here is immutable and safe to share between threads.
 */
package org.hgrpc.server.config;
