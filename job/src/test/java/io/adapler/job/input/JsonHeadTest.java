package io.adapler.job.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The field names of an input's first JSON Lines records, read on the driver. */
class JsonHeadTest {
  @TempDir Path dir;

  static final Configuration CONF = new Configuration();

  static Set<String> names(Path p, int records) throws Exception {
    return JsonHead.fieldNames(new org.apache.hadoop.fs.Path(p.toUri()), CONF, records);
  }

  @Test
  void namesOfTheFirstRecordsOnly() throws Exception {
    Path f = Files.write(dir.resolve("a.jsonl"), List.of("{\"id\": 1, \"text\": \"x\"}", "",
        "  ", "{\"id\": 2, \"extra\": {\"nested\": 1}}", "{\"late\": true}"));
    // blank lines are no records; nested fields are not top-level names
    assertEquals(Set.of("id", "text", "extra"), names(f, 2));
    assertEquals(Set.of("id", "text", "extra", "late"), names(f, 3));
  }

  @Test
  void malformedLinesCountAsRecordsAndNameNothing() throws Exception {
    Path f = Files.write(dir.resolve("bad.jsonl"), List.of("{\"id\": 1, \"text\": ", "[1, 2]",
        "\"a string\"", "{\"body\": \"y\"}"));
    assertEquals(Set.of(), names(f, 3));
    assertEquals(Set.of("body"), names(f, 4));
  }

  @Test
  void aDirectoryIsReadFileAfterFileSkippingHiddenOnesAndCompressedOnesDecoded()
      throws Exception {
    Path d = Files.createDirectories(dir.resolve("corpus"));
    Files.writeString(d.resolve("_SUCCESS"), "{\"success\": 1}\n");
    Files.writeString(d.resolve(".part-0.crc"), "{\"crc\": 1}\n");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(d.resolve("part-0.jsonl.gz")))) {
      out.write("{\"zipped\": \"z\"}\n{\"zipped\": \"again\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    Set<String> all = names(d, 10);
    assertEquals(Set.of("zipped"), all, "hidden files are not the input's; gzip is decoded");
    Files.writeString(d.resolve("part-1.jsonl"), "{\"plain\": 1}\n");
    assertTrue(names(d, 10).containsAll(Set.of("zipped", "plain")), "records from every file");
    assertEquals(1, names(d, 1).size(), "one record, from one file");
  }

  @Test
  void nothingMatchedNamesNothing() throws Exception {
    assertEquals(Set.of(), names(dir.resolve("missing-*.jsonl"), 10));
  }
}
