package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** vigil rules check|list and vigil detect --rules, run in-process. */
class RulesAndDetectCommandTest {

  record Run(int code, String out, String err) {}

  private static Path shared() {
    String prop = System.getProperty("vigil.shared");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
    if (!p.resolve("corpora").toFile().isDirectory()) {
      throw new IllegalStateException("the shared corpora are missing: expected " + p.toAbsolutePath()
          + "/corpora (set -Dvigil.shared=DIR)");
    }
    return p;
  }

  private static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = VigilCli.execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void checkLoadsAllSigmaHqRules() {
    Run r = run("rules", "check", shared().resolve("corpora/sigma-aws/rules").toString());
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("loaded    0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2  rule  AWS IAM Backdoor Users Keys");
    assertThat(r.out().lines().filter(l -> l.startsWith("loaded "))).hasSize(57);
    assertThat(r.out()).endsWith("vigil: 57 file(s): 57 loaded (57 rules, 0 correlations), 0 rejected, "
        + "0 warning(s)\n");
  }

  @Test
  void checkFailsWhenSomethingIsRejectedAndSaysWhy() {
    Run r = run("rules", "check", "--quiet", shared().resolve("corpora/sigma-aws/unsupported").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("rejected  ").contains("aws_lambda_function_created_or_invoked.yml: rule "
        + "d914951b-52c8-485f-875e-86abab710c0b 'AWS Lambda Function Created or Invoked': line 23 column 5: "
        + "old-style 'near' aggregation");
    assertThat(r.out()).contains("6 loaded (0 rules, 6 correlations), 2 rejected");
  }

  @Test
  void checkTakesPlaceholders() {
    String dir = shared().resolve("corpora/sigma-aws/rules-placeholder").toString();
    assertThat(run("rules", "check", dir).code()).isEqualTo(1);
    Run ok = run("rules", "check", dir, "--placeholder", "Legitimate_Countries=BE,LU",
        "--placeholder", "Legitimate_IP_Ranges=198.51.100.*");
    assertThat(ok.code()).isEqualTo(0);
    assertThat(ok.out()).contains("1 loaded (1 rules, 0 correlations), 0 rejected");
  }

  @Test
  void aMissingPathIsAUsageError() {
    Run r = run("rules", "check", "/no/such/rules");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("vigil: error: no such file or directory: /no/such/rules\n");
  }

  @Test
  void listPrintsEveryRuleHeader() {
    Run r = run("rules", "list");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("a7eface6-0825-4cb7-b302-0bcaa1ce66c3  high           T1078.004,T1552.001,"
        + "initial-access,credential-access  AWS Call Made by TruffleHog  [builtin:vigil_trufflehog_user_agent.yml]");
    Run json = run("rules", "list", "--no-builtin-rules", "--format", "jsonl", "--rules",
        shared().resolve("corpora/sigma-aws/rules").toString());
    assertThat(json.out().lines()).hasSize(57);
  }

  @Test
  void detectWritesOcsfFindingsForSigmaMatches() throws Exception {
    Path logs = shared().resolve("corpora/cloudtrail/stratus-red-team/docs/detonation-logs");
    Run r = run("detect", logs.toString(), "--rules", shared().resolve("corpora/sigma-aws/rules").toString(),
        "--format", "jsonl");
    assertThat(r.code()).isEqualTo(0);
    ObjectMapper json = new ObjectMapper();
    Set<String> pairs = new TreeSet<>();
    for (String line : r.out().split("\n")) {
      JsonNode f = json.readTree(line);
      // the stream holds alerts (2004) and, since incidents landed, the incidents they form (2005)
      assertThat(f.path("class_uid").asInt()).isIn(2004, 2005);
      if (f.path("class_uid").asInt() == 2005) {
        continue;
      }
      for (JsonNode ev : f.path("finding_info").path("related_events")) {
        pairs.add(f.path("finding_info").path("analytic").path("uid").asText() + ":" + ev.path("uid").asText());
      }
    }
    assertThat(pairs).contains(
        "4db60cc0-36fb-42b7-9b58-a5b53019fb74:10163ed2-2253-469d-a5ee-cbc6651f8934",
        "4db60cc0-36fb-42b7-9b58-a5b53019fb74:ee73c230-44bc-4492-8542-cfb189eae287",
        "77caf516-34e5-4df9-b4db-20744fea0a60:865d9377-9c6b-4fd7-8aad-725e95f6a140",
        "abae8fec-57bd-4f87-aff6-6e3db989843d:6897ff63-d738-445c-9e86-43e5b1f8e12f",
        "e386b9b5-af12-450e-afff-761730fb8a98:ded2f5af-f3a5-46d2-a170-a23206a32c36",
        // Vigil's own rules
        "552f1f25-501d-4468-956b-61922cfc2a92:10163ed2-2253-469d-a5ee-cbc6651f8934",
        "8840ff11-5ea3-4660-973e-d5894a47456e:c64c4ded-ef03-4e5c-81eb-153b118d72f2");
    assertThat(r.err()).contains("71 Sigma rule(s) loaded");
  }
}
