package io.adapler.job.output;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.adapler.job.report.RunMetrics;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The layout of an output committed in parts, on any Hadoop FileSystem:
 *
 * <pre>
 * OUTPUT/p00003-part-00000-....parquet   data files of part 3 (the p00003- prefix says whose)
 * OUTPUT/_adapler_parts/manifest.json    the run's fingerprint, written first
 * OUTPUT/_adapler_parts/part-00003.json  part 3's commit marker: its files and metrics
 * OUTPUT/_adapler_parts/tmp-part-00003/  where Spark writes part 3 before its files move up
 * OUTPUT/_SUCCESS                        every part is committed
 * </pre>
 *
 * <p>A part counts as committed only once its marker exists; the marker is written to a
 * hidden name and renamed, so a reader sees all of it or nothing. Spark readers skip names
 * that start with {@code _} or {@code .}, so none of the bookkeeping shows up in the data.
 */
public final class PartStore {
  /** The directory inside the output that holds the parts' bookkeeping. */
  public static final String DIR = "_adapler_parts";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * A part's commit marker.
   *
   * @param part the part, 1 to parts
   * @param parts the number of parts
   * @param files the part's data files, by name, directly under the output directory
   * @param metrics the part's summary sums ({@link RunMetrics})
   * @param seconds how long scoring and committing the part took
   */
  record PartCommit(int part, int parts, List<String> files, Map<String, Object> metrics,
      double seconds) {}

  private final Path output;
  private final Path dir;
  private final FileSystem fs;

  PartStore(String output, Configuration conf) throws IOException {
    this.output = new Path(output);
    this.fs = this.output.getFileSystem(conf);
    this.dir = new Path(this.output, DIR);
  }

  /** Whether the output directory exists and holds anything. */
  boolean outputHasContent() throws IOException {
    try {
      return fs.listStatus(output).length > 0;
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  /** Deletes the whole output directory (for {@code --mode overwrite}). */
  void deleteOutput() throws IOException {
    if (fs.exists(output) && !fs.delete(output, true)) {
      throw new IOException("cannot delete " + output);
    }
  }

  /** The fingerprint the output was started with, if it was started in parts. */
  Optional<RunFingerprint> manifest() throws IOException {
    Optional<Map<String, String>> fields =
        read(new Path(dir, "manifest.json"), new TypeReference<Map<String, String>>() {});
    return fields.map(RunFingerprint::new);
  }

  void writeManifest(RunFingerprint f) throws IOException {
    writeAtomically(new Path(dir, "manifest.json"), f.fields());
  }

  /** The part's marker; empty when it has none or an unreadable one (not committed). */
  Optional<PartCommit> commit(int part) throws IOException {
    return read(marker(part), new TypeReference<PartCommit>() {});
  }

  /** The names of the files directly under the output directory. */
  Set<String> outputFiles() throws IOException {
    Set<String> names = new HashSet<>();
    for (FileStatus s : fs.listStatus(output)) {
      names.add(s.getPath().getName());
    }
    return names;
  }

  /** Where Spark writes the part before its files move into the output directory. */
  String tempDir(int part) {
    return new Path(dir, "tmp-" + name(part)).toString();
  }

  /**
   * Removes everything a killed attempt at the part may have left: its marker first (so the
   * part is no longer committed), then its data files and its temporary directory.
   */
  void clear(int part) throws IOException {
    fs.delete(marker(part), false);
    fs.delete(hidden(marker(part)), false);
    FileStatus[] left = fs.globStatus(new Path(output, prefix(part) + "*"));
    for (FileStatus s : left == null ? new FileStatus[0] : left) {
      fs.delete(s.getPath(), false);
    }
    fs.delete(new Path(tempDir(part)), true);
  }

  /**
   * Moves the data files Spark wrote for the part into the output directory, each with the
   * part's prefix, and deletes the temporary directory.
   *
   * @return the new names
   */
  List<String> moveIn(int part) throws IOException {
    Path temp = new Path(tempDir(part));
    List<String> moved = new ArrayList<>();
    for (FileStatus s : fs.listStatus(temp)) {
      String n = s.getPath().getName();
      if (!s.isFile() || n.startsWith("_") || n.startsWith(".")) {
        continue; // Spark's _SUCCESS, checksums
      }
      Path target = new Path(output, prefix(part) + n);
      if (!fs.rename(s.getPath(), target)) {
        throw new IOException("cannot move " + s.getPath() + " to " + target);
      }
      moved.add(target.getName());
    }
    fs.delete(temp, true);
    return moved;
  }

  /** Commits the part: from here on a rerun skips it. */
  void writeCommit(PartCommit c) throws IOException {
    writeAtomically(marker(c.part()), c);
  }

  /** Writes {@code _SUCCESS}: every part is committed. */
  void markSuccess() throws IOException {
    fs.create(new Path(output, "_SUCCESS"), true).close();
  }

  /** The data-file prefix of a part, e.g. {@code p00003-}. */
  static String prefix(int part) {
    return String.format("p%05d-", part);
  }

  private static String name(int part) {
    return String.format("part-%05d", part);
  }

  private Path marker(int part) {
    return new Path(dir, name(part) + ".json");
  }

  private static Path hidden(Path p) {
    return new Path(p.getParent(), "." + p.getName() + ".tmp");
  }

  /** Writes to a hidden name, then renames: a killed write never looks like a marker. */
  private void writeAtomically(Path target, Object value) throws IOException {
    Path temp = hidden(target);
    try (OutputStream out = fs.create(temp, true)) {
      out.write(JSON.writeValueAsBytes(value));
    }
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      throw new IOException("cannot rename " + temp + " to " + target);
    }
  }

  private <T> Optional<T> read(Path p, TypeReference<T> type) throws IOException {
    if (!fs.exists(p)) {
      return Optional.empty();
    }
    try (InputStream in = fs.open(p)) {
      return Optional.of(JSON.readValue(in, type));
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return Optional.empty(); // a torn or foreign file: treated as absent
    }
  }
}
