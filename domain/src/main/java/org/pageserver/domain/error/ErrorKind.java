package org.pageserver.domain.error;

/**
 * What went wrong, in words the edge of the system can turn into a status code. One kind per
 * distinct client reaction; the HTTP adapter maps each to exactly one status in one place.
 */
public enum ErrorKind {
    /** The request itself is malformed: a bad id, LSN, body or field. Retrying will not help. */
    BAD_REQUEST,
    /** The caller proved no identity. */
    UNAUTHORIZED,
    /** The caller's identity does not reach this resource. */
    FORBIDDEN,
    /** The thing named does not exist (or no longer does: a finished deletion ends in this). */
    NOT_FOUND,
    /** The request is valid but the thing is in a state that refuses it, e.g. an LSN below the GC cutoff for a branch. */
    NOT_ACCEPTABLE,
    /** The thing exists already, or the same operation is already running. */
    CONFLICT,
    /** The thing is not in the state the operation needs and will not get there by waiting (e.g. a timeline with children). */
    PRECONDITION_FAILED,
    /** A request body larger than this server accepts. */
    PAYLOAD_TOO_LARGE,
    /**
     * Not now: the tenant is still attaching or stopping, or an LSN has not arrived yet. Clients retry.
     * Never "not found" for a tenant that exists: a 404 could send the control plane to attach it
     * elsewhere while this node still writes it (split brain).
     */
    UNAVAILABLE,
    /** A fault of this server: broken storage, a bug. */
    INTERNAL
}
