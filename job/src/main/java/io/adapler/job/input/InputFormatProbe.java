package io.adapler.job.input;

import io.adapler.job.options.JobOptions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.util.functional.RemoteIterators;

/**
 * Settles the input format when neither {@code --input-format} nor the input's name says it
 * (a directory, a glob without an extension): the files' own extensions do, when they all name
 * the same one. A directory of JSON Lines files was read as Parquet, and failed inside a task
 * with Spark's "is not a Parquet file". Anything else stays Parquet, as before (partitioned
 * datasets, whose files sit in subdirectories, among them).
 */
public final class InputFormatProbe {
  private InputFormatProbe() {}

  /**
   * Returns the options with the format the files name, saying so on {@code out} when it is not
   * the default; the options themselves when their format was named or the files do not say.
   */
  public static JobOptions settle(JobOptions o, Configuration conf, PrintStream out)
      throws IOException {
    if (o.inputFormatNamed()) {
      return o;
    }
    String format;
    try {
      Path input = new Path(o.input());
      // A Delta table's directory holds Parquet files that only its log says are current.
      format = input.getFileSystem(conf).exists(new Path(input, "_delta_log")) ? "delta"
          : formatOfFiles(input, conf);
    } catch (FileNotFoundException | IllegalArgumentException e) {
      return o; // the read reports what is wrong with the path, in its own words
    } // any other IOException (a store that does not answer) fails now, not after Spark retries

    if (format == null || format.equals(o.inputFormat())) {
      return o;
    }
    out.printf("[adapler] reading %s as %s: %s (--input-format names the format)%n", o.input(),
        format, format.equals("delta") ? "it holds a _delta_log"
            : "its files are all *." + (format.equals("text") ? "txt" : format));
    return o.withInputFormat(format);
  }

  /**
   * The one format that the extensions of the input's {@link #visibleFiles} name; null when
   * they name none, more than one, or some name none.
   */
  static String formatOfFiles(Path input, Configuration conf) throws IOException {
    Set<String> formats = new HashSet<>();
    for (FileStatus f : visibleFiles(input, conf)) {
      formats.add(Objects.requireNonNullElse(JobOptions.formatOfExtension(f.getPath().getName()),
          "?"));
      if (formats.size() > 1) {
        return null;
      }
    }
    return formats.size() == 1 && !formats.contains("?") ? formats.iterator().next() : null;
  }

  /**
   * The input's visible files, as Spark's file sources read them: the files matched, or those
   * directly in a matched directory (names starting with _ or . are Spark's and Hadoop's own),
   * the first {@value #MAX_FILES} of them; empty when nothing matches.
   */
  static List<FileStatus> visibleFiles(Path input, Configuration conf) throws IOException {
    FileSystem fs = input.getFileSystem(conf);
    FileStatus[] matched = fs.globStatus(input);
    List<FileStatus> out = new ArrayList<>();
    if (matched == null) {
      return out;
    }
    for (FileStatus m : matched) {
      RemoteIterator<FileStatus> files = m.isDirectory() ? fs.listStatusIterator(m.getPath())
          : RemoteIterators.remoteIteratorFromSingleton(m);
      while (files.hasNext() && out.size() < MAX_FILES) {
        FileStatus f = files.next();
        String name = f.getPath().getName();
        if (!f.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
          out.add(f);
        }
      }
    }
    return out;
  }

  /** Files looked at, at most: a directory of a million objects is not listed twice. */
  static final int MAX_FILES = 1000;
}
