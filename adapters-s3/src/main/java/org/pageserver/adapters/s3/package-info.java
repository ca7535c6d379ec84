/**
 * Remote storage ({@link org.pageserver.application.port.out.RemoteStorage}) in two forms, as in
 * Neon: a bucket of an S3-compatible server through the AWS SDK v2 ({@link S3RemoteStorage}), and a
 * local directory ({@link LocalFsRemoteStorage}, Neon's {@code local_fs}) for a single node, tests
 * and development. No S3 type leaves this package but the credentials a caller may pass in.
 */
package org.pageserver.adapters.s3;
