/**
 * Remote storage on S3 through the AWS SDK v2: layer files and index parts of each timeline,
 * under Neon's object layout. The port it implements arrives with remote storage (a later issue);
 * no S3 type leaves this package.
 */
package org.pageserver.adapters.s3;
