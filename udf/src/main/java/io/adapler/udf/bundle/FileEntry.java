package io.adapler.udf.bundle;

/**
 * One entry of the manifest's {@code files} map: the checksum and size a bundle file must have.
 *
 * @param sha256 lower-case hex SHA-256 of the file's bytes
 * @param bytes the file's size in bytes
 */
public record FileEntry(String sha256, long bytes) {}
