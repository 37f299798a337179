/**
 * The data commands of HTTP API {@code exp-http-v2-0003} (Mercurial 4.8's
 * {@code wireprotov2server.py}): {@code changesetdata}, {@code manifestdata},
 * {@code filedata}, {@code filesdata} and {@code rawstorefiledata}, which let a client clone
 * and pull. Each produces its response objects lazily, revision by revision.
 */
package org.hgrpc.repository.server.data;
