package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The shared flag parser: values with defaults, and errors that name flag, expected, found. */
class FlagsTest {
  private static final String USAGE = "Usage: test";

  private static Flags flags(String... args) {
    return Flags.parse(args, USAGE);
  }

  private static String error(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  @Test
  void takesValuesOrDefaults() {
    Flags f = flags("--rows", "300", "--eta", "0.5", "--out", "x/y", "--seed", "-7",
        "--list", "a; ;b", "--sections", "one,two");
    assertTrue(f.has("rows"));
    assertFalse(f.has("reps"));
    assertEquals(300, f.integer("rows", 1, 1));
    assertEquals(5, f.integer("reps", 5, 1));
    assertEquals(0.5f, f.number("eta", 0f, 0f));
    assertEquals(Path.of("x/y"), f.path("out", Path.of("build")));
    assertEquals(-7L, f.longInteger("seed", 1));
    assertEquals("fallback", f.string("bundle", "fallback"));
    assertEquals(List.of("a", "b"), f.list("list", "z", ";"));
    assertEquals(List.of("z"), f.list("other", "z", ";"));
    assertEquals(Set.of("one", "two"), f.someOf("sections", "one", Set.of("one", "two", "three")));
    f.done();
  }

  @Test
  void helpAnywhereAsksForTheUsage() {
    assertNull(flags("--rows", "3", "--help"));
    assertNull(flags("-h"));
  }

  @Test
  void badValuesNameTheFlagWhatWasExpectedAndWhatWasFound() {
    assertEquals("--rows: expected an integer >= 1, found '0'",
        error(() -> flags("--rows", "0").integer("rows", 1, 1)));
    assertEquals("--rows: expected an integer >= 1, found 'many'",
        error(() -> flags("--rows", "many").integer("rows", 1, 1)));
    assertEquals("--warmup: expected an integer from 0 to 99, found '100'",
        error(() -> flags("--warmup", "100").integer("warmup", 20, 0, 99)));
    assertEquals("--eta: expected a number >= 0.0, found 'NaN'",
        error(() -> flags("--eta", "NaN").number("eta", 0f, 0f)));
    assertEquals("--eta: expected a number >= 0.0, found '-1'",
        error(() -> flags("--eta", "-1").number("eta", 0f, 0f)));
    assertEquals("--seed: expected an integer, found '1.5'",
        error(() -> flags("--seed", "1.5").longInteger("seed", 1)));
    assertEquals("--list: expected at least one item, separated by ';', found ' ; '",
        error(() -> flags("--list", " ; ").list("list", "a", ";")));
    assertEquals("--sections: expected some of [one, two], found 'one,three'",
        error(() -> flags("--sections", "one,three").someOf("sections", "one",
            Set.of("one", "two"))));
  }

  @Test
  void badCommandLinesSayWhatWasFound() {
    assertEquals("expected a --name value pair, found 'rows'\n" + USAGE,
        error(() -> flags("rows", "3")));
    assertEquals("--rows: expected a value, found the end of the command line\n" + USAGE,
        error(() -> flags("--rows")));
    assertEquals("--rows: expected once, found twice ('3' and '4')",
        error(() -> flags("--rows", "3", "--rows", "4")));
  }

  @Test
  void flagsThatNoSettingTookAreUnknown() {
    Flags f = flags("--rows", "3", "--row", "4", "--seeds", "1");
    f.integer("rows", 1, 1);
    assertEquals("unknown options [--row, --seeds]\n" + USAGE, error(f::done));
  }
}
