package dev.vigil.secrets;

import java.util.List;

/**
 * One credential type, as data (see {@code rules.yaml} and docs/SECRETS.md): the keywords that must occur for the
 * regular expression to be tried, the group that holds the secret, the minimum Shannon entropy of the secret, an
 * optional structural or checksum validator, an allowlist, and examples that the generic rule test runs.
 *
 * @param window for multi-line secrets (PEM blocks): how many characters from the keyword's line the expression
 *     may span; 0 means the keyword's line only
 * @param contextLines the expression also sees this many lines before and after the keyword's line
 * @param requires another rule that must have a finding within {@code contextLines} lines (e.g. a bare 40-character
 *     AWS secret key counts only next to an AWS access key id)
 * @param pairGroup findings of the same pair group within {@link #PAIR_LINES} lines are paired (AWS key id and secret)
 * @param pairRole "id" or "secret" within the pair group
 */
public record Rule(
    String id,
    String title,
    String description,
    Severity severity,
    List<String> keywords,
    RuleRegex regex,
    int secretGroup,
    double entropy,
    String validator,
    int window,
    int contextLines,
    String requires,
    String pairGroup,
    String pairRole,
    Allowlist allowlist,
    List<String> references,
    List<String> matchExamples,
    List<String> noMatchExamples) {

  /** How close (in lines) an id and a secret of the same pair group must be to count as a pair. */
  public static final int PAIR_LINES = 10;

  public Rule {
    keywords = List.copyOf(keywords);
    references = List.copyOf(references);
    matchExamples = List.copyOf(matchExamples);
    noMatchExamples = List.copyOf(noMatchExamples);
  }
}
