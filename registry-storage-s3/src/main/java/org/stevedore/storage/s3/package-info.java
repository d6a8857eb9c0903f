/**
 * {@link org.stevedore.storage.s3.S3Driver}: storage in an S3 or S3-compatible bucket, keys laid
 * out exactly as the filesystem driver lays out files, so a store can be copied between backends.
 * The only package that uses the AWS SDK.
 */
package org.stevedore.storage.s3;
