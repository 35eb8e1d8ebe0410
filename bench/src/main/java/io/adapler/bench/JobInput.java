package io.adapler.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.udf.tokenize.TextRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job section's input: the data's JSON Lines files as they are, or, with a row count, the
 * first lines of each file in proportion to its size in lines, written to files of the same
 * names (so the layout, and with it Spark's splits, stay alike).
 *
 * @param path what the job reads: one file or a glob
 * @param rows the texts of those lines, in the same order, for the baseline
 */
record JobInput(String path, List<TextRow> rows) {

  /**
   * Prepares the input.
   *
   * @param data a directory of {@code .jsonl} files, or one file
   * @param rows lines to keep over all files, 0 for all of them
   * @param work where a cut copy goes
   */
  static JobInput prepare(Path data, int rows, Path work) throws IOException {
    List<Path> files = jsonLines(data);
    List<List<String>> lines = new ArrayList<>();
    long total = 0;
    for (Path f : files) {
      List<String> l = Files.readAllLines(f).stream().filter(x -> !x.isBlank()).toList();
      lines.add(l);
      total += l.size();
    }
    Path dir = Files.createDirectories(work.resolve("job-input"));
    ObjectMapper json = new ObjectMapper();
    List<TextRow> texts = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      List<String> l = lines.get(i);
      int keep = rows == 0 ? l.size()
          : (int) Math.min(l.size(), Math.round((double) rows * l.size() / total));
      for (String line : l.subList(0, keep)) {
        texts.add(TextRow.of(json.readTree(line).get("text").asText()));
      }
      if (rows > 0) {
        Files.write(dir.resolve(files.get(i).getFileName()), l.subList(0, keep),
            StandardCharsets.UTF_8);
      }
    }
    String path;
    if (rows > 0) {
      path = dir.toAbsolutePath() + "/*.jsonl";
    } else {
      path = files.size() == 1 ? files.get(0).toAbsolutePath().toString()
          : data.toAbsolutePath() + "/*.jsonl";
    }
    return new JobInput(path, List.copyOf(texts));
  }

  private static List<Path> jsonLines(Path data) throws IOException {
    if (!Files.isDirectory(data)) {
      return List.of(data);
    }
    try (var list = Files.list(data)) {
      List<Path> files = list.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no .jsonl file in " + data + ": expected the"
            + " SpamAssassin splits; run model/scripts/prepare-spam-data.sh (bench.sh does)");
      }
      return files;
    }
  }
}
