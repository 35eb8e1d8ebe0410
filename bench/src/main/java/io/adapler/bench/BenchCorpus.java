package io.adapler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.udf.tokenize.TextRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The rows every benchmark scores: a seeded sample of the SpamAssassin mails prepared by
 * {@code model/scripts/prepare-spam-data.sh} (all three splits; the split does not matter for
 * speed). The same seed and size always give the same rows in the same order.
 *
 * @param ids the mails' ids
 * @param texts the mails (subject and body), as runtime input
 */
record BenchCorpus(List<String> ids, List<TextRow> texts) {
  private static final String[] SPLITS = {"train.jsonl", "validation.jsonl", "test.jsonl"};

  /**
   * Reads the splits under {@code dir} and samples {@code rows} mails.
   *
   * @throws IllegalArgumentException when the files are missing or hold fewer mails
   */
  static BenchCorpus sample(Path dir, int rows, long seed) throws IOException {
    List<String[]> all = shuffled(dir, seed);
    if (all.size() < rows) {
      throw new IllegalArgumentException("asked for " + rows + " rows, but " + dir + " holds "
          + all.size() + " mails");
    }
    return of(all.subList(0, rows));
  }

  /**
   * Reads every mail of {@code source}, in the seed's order: a directory of the three splits,
   * or one {@code .jsonl} file of {@code id} and {@code text} (the repository's 400-mail sample).
   */
  static BenchCorpus all(Path source, long seed) throws IOException {
    return of(shuffled(source, seed));
  }

  private static List<String[]> shuffled(Path source, long seed) throws IOException {
    List<String[]> all = new ArrayList<>();
    if (Files.isRegularFile(source)) {
      read(source, all);
    } else {
      for (String split : SPLITS) {
        Path file = source.resolve(split);
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException("missing " + file + ": expected the SpamAssassin"
              + " splits; run model/scripts/prepare-spam-data.sh (bench.sh does)");
        }
        read(file, all);
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no mails in " + source);
    }
    all.sort(Comparator.comparing(r -> r[0])); // file order must not matter, only the seed
    Collections.shuffle(all, new Random(seed));
    return all;
  }

  private static void read(Path file, List<String[]> into) throws IOException {
    into.addAll(fields(file, "id", "text"));
  }

  /** The named fields of every record of a JSON Lines file, as text, in file order. */
  static List<String[]> fields(Path file, String... names) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String[]> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          JsonNode row = json.readTree(line);
          String[] values = new String[names.length];
          for (int i = 0; i < names.length; i++) {
            values[i] = row.get(names[i]).asText();
          }
          out.add(values);
        }
      }
    }
    return out;
  }

  private static BenchCorpus of(List<String[]> rows) {
    List<String> ids = new ArrayList<>(rows.size());
    List<TextRow> texts = new ArrayList<>(rows.size());
    for (String[] r : rows) {
      ids.add(r[0]);
      texts.add(TextRow.of(r[1]));
    }
    return new BenchCorpus(List.copyOf(ids), List.copyOf(texts));
  }

  int size() {
    return texts.size();
  }

  /** Returns the first {@code n} rows. */
  BenchCorpus head(int n) {
    return new BenchCorpus(ids.subList(0, n), texts.subList(0, n));
  }

  /** Returns slice {@code k} of {@code n} contiguous slices. */
  BenchCorpus slice(int k, int n) {
    int from = k * size() / n;
    int to = (k + 1) * size() / n;
    return new BenchCorpus(ids.subList(from, to), texts.subList(from, to));
  }

  /** Splits the rows into {@code parts} contiguous shares, as Spark partitions would. */
  List<List<TextRow>> shares(int parts) {
    List<List<TextRow>> out = new ArrayList<>(parts);
    int n = texts.size();
    for (int p = 0; p < parts; p++) {
      out.add(texts.subList(p * n / parts, (p + 1) * n / parts));
    }
    return out;
  }
}
