/**
 * The job on object storage: its bundle, corpus and output on {@code s3a://}, against an S3 API
 * server on the loopback interface that the tests start ({@code S3Server}: s3proxy in a child
 * JVM with a local file system backend), with the settings of {@code conf/spark-s3.conf}
 * ({@code S3Settings}). {@code S3JobTest} runs the job in the test JVM ({@code LocalS3} puts
 * the settings into its session): the output matches a local run's, with the S3A magic
 * committer, in one commit or in parts, and a missing bucket or a dead endpoint is an input
 * error. {@code S3ResumeIT} kills a run in parts in a child JVM and reruns it.
 */
package io.adapler.job.storage;
