/** A repository's requirements and the names of its files on disk. */
package org.hgrpc.repository.store;
