/**
 * Revision logs (revlog format v1): the index, chunk decompression, delta chains and hash
 * verification. Nothing here knows what a revision means.
 */
package org.hgrpc.repository.revlog;
