package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.tokenize.TextRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job section reads the splits as they are, or the first lines of each in proportion. */
class JobInputTest {

  @Test
  void allRowsReadTheFilesWhereTheyAre(@TempDir Path tmp) throws Exception {
    Path data = splits(tmp, 8, 2);
    JobInput in = JobInput.prepare(data, 0, tmp.resolve("work"));
    assertEquals(data.toAbsolutePath() + "/*.jsonl", in.path());
    assertEquals(10, in.rows().size());
    assertEquals("a0", in.rows().get(0).text());
  }

  @Test
  void aRowCountCutsEachFileInProportion(@TempDir Path tmp) throws Exception {
    Path data = splits(tmp, 8, 2);
    JobInput in = JobInput.prepare(data, 5, tmp.resolve("work"));
    Path cut = tmp.resolve("work/job-input");
    assertEquals(cut.toAbsolutePath() + "/*.jsonl", in.path());
    assertEquals(4, Files.readAllLines(cut.resolve("a.jsonl")).size()); // 5 x 8/10
    assertEquals(1, Files.readAllLines(cut.resolve("b.jsonl")).size()); // 5 x 2/10
    assertEquals(List.of("a0", "a1", "a2", "a3", "b0"),
        in.rows().stream().map(TextRow::text).toList());
  }

  @Test
  void aDirectoryWithoutJsonLinesNamesTheScript(@TempDir Path tmp) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobInput.prepare(tmp, 0, tmp.resolve("work")));
    assertTrue(e.getMessage().contains("prepare-spam-data.sh"), e.getMessage());
  }

  private static Path splits(Path tmp, int a, int b) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.write(data.resolve("a.jsonl"), lines("a", a));
    Files.write(data.resolve("b.jsonl"), lines("b", b));
    return data;
  }

  private static List<String> lines(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("{\"id\":\"" + prefix + i + "\",\"text\":\"" + prefix + i + "\"}");
    }
    return out;
  }
}
