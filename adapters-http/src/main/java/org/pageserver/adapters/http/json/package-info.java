/**
 * The wire form of the API. Request bodies are read as a JSON tree and checked here field by field,
 * rather than bound to DTOs, so that unknown fields, strict types and Neon's messages are decided in
 * one place; responses are rendered as trees in the order Neon's clients know.
 */
package org.pageserver.adapters.http.json;
