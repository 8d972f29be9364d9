package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte scan (hash filter and trie check) reports exactly what the Aho-Corasick automaton of the character scan
 * reports, in the same order: every occurrence, case-insensitive for ASCII letters only.
 */
class KeywordIndexTest {
  private static List<String> bytes(KeywordIndex index, byte[] text, int from, int to) {
    List<String> out = new ArrayList<>();
    index.scan(text, from, to, (k, end) -> out.add(index.keyword(k) + "@" + end));
    return out;
  }

  private static List<String> chars(KeywordIndex index, byte[] text, int from, int to) {
    List<String> out = new ArrayList<>();
    index.scan(new String(text, StandardCharsets.ISO_8859_1), from, to,
        (k, end) -> out.add(index.keyword(k) + "@" + end));
    return out;
  }

  @Test
  void exactOccurrencesInEndOrder() {
    KeywordIndex index = new KeywordIndex(List.of("secret", "cret", "q~", "x", "pass", "password"));
    byte[] text = "my SeCrEt PASSWORD q~q~ \u00e9x".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(bytes(index, text, 0, text.length)).containsExactly("secret@9", "cret@9", "pass@14",
        "password@18", "q~@21", "q~@23", "x@26");
    assertThat(chars(index, text, 0, text.length)).isEqualTo(bytes(index, text, 0, text.length));
    // a range: keywords must lie wholly inside it
    assertThat(bytes(index, text, 5, 13)).containsExactly("cret@9");
  }

  @Test
  void sameAsTheAutomatonOnRandomText() {
    List<String> words = new ArrayList<>(new LinkedHashSet<>(RuleSet.builtin().rules().stream()
        .flatMap(r -> r.keywords().stream()).map(k -> k.toLowerCase(Locale.ROOT)).toList()));
    words.addAll(List.of("z", "q~", "_[", "@@", "key", "keys"));
    KeywordIndex index = new KeywordIndex(words);
    // an alphabet that makes keywords, near misses and case variants likely
    StringBuilder alphabet = new StringBuilder();
    words.forEach(w -> alphabet.append(w).append(w.toUpperCase(Locale.ROOT)));
    byte[] pool = alphabet.toString().getBytes(StandardCharsets.ISO_8859_1);
    Random random = new Random(20261129);
    long total = 0;
    for (int round = 0; round < 400; round++) {
      byte[] text = new byte[random.nextInt(3000)];
      for (int i = 0; i < text.length; i++) {
        int pick = random.nextInt(100);
        if (pick < 3) {
          text[i] = (byte) random.nextInt(256); // anything, including bytes >= 128 and '@' / '`' / '_' / DEL
        } else if (pick < 10 && i + 8 < text.length) { // a keyword's start, possibly upper-cased
          String w = words.get(random.nextInt(words.size()));
          w = random.nextBoolean() ? w : w.toUpperCase(Locale.ROOT);
          for (int j = 0; j < Math.min(w.length(), 8); j++) {
            text[i + j] = (byte) w.charAt(j);
          }
          i += Math.min(w.length(), 8) - 1;
        } else {
          text[i] = pool[random.nextInt(pool.length)];
        }
      }
      int from = text.length == 0 ? 0 : random.nextInt(Math.min(text.length, 20) + 1);
      int to = text.length - (text.length == 0 ? 0 : random.nextInt(Math.min(text.length - from, 20) + 1));
      List<String> expected = chars(index, text, from, to);
      assertThat(bytes(index, text, from, to)).as("round %d", round).isEqualTo(expected);
      total += expected.size();
    }
    assertThat(total).isGreaterThan(10_000); // the texts did hold many occurrences
  }

  @Test
  void theSameKeywordTwiceIsReportedTwice() {
    KeywordIndex index = new KeywordIndex(List.of("token", "TOKEN"));
    byte[] text = "a Token".getBytes(StandardCharsets.ISO_8859_1);
    List<Integer> ks = new ArrayList<>();
    index.scan(text, 0, text.length, (k, end) -> ks.add(k));
    assertThat(ks).containsExactly(0, 1);
    List<Integer> viaChars = new ArrayList<>();
    index.scan("a Token", 0, 7, (k, end) -> viaChars.add(k));
    assertThat(viaChars).isEqualTo(ks);
  }
}
