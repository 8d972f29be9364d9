package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoneytokenAndBehaviourCommandTest {

  record Run(int code, String out, String err) {}

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

  static final String HONEY_EVENT = "{\"eventVersion\":\"1.09\",\"eventTime\":\"2026-03-19T20:00:00Z\","
      + "\"eventID\":\"honey-1\",\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"GetCallerIdentity\","
      + "\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111122223333\",\"sourceIPAddress\":\"198.51.100.9\","
      + "\"userAgent\":\"aws-cli/2.24.10\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
      + "\"arn:aws:iam::111122223333:user/backup-admin-old\",\"accountId\":\"111122223333\","
      + "\"accessKeyId\":\"AKIAHONEY00000000001\",\"userName\":\"backup-admin-old\"}}\n";

  @Test
  void createPrintsTemplatesAndRegistersThenReplacesThePlaceholder(@TempDir Path dir) throws Exception {
    Path wl = dir.resolve("honeytokens.tsv");
    Run r = run("honeytoken", "create", "--name", "backup-admin-old", "--watchlist", wl.toString());
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("\"Effect\": \"Deny\", \"Action\": \"*\"", "Type: AWS::IAM::User",
        "UserName: backup-admin-old", "resource \"aws_iam_user\" \"backup_admin_old\"", "aws_iam_access_key");
    assertThat(Files.readString(wl)).containsPattern("\nAKIAHONEYTOKEN[A-Z0-9]{6}\tbackup-admin-old\t");
    assertThat(run("honeytoken", "create", "--name", "backup-admin-old", "--watchlist", wl.toString(),
        "--key-id", "AKIAHONEY00000000001").code()).isEqualTo(0);
    String list = Files.readString(wl);
    assertThat(list).contains("AKIAHONEY00000000001\tbackup-admin-old\t").doesNotContain("AKIAHONEYTOKEN");
    Run bad = run("honeytoken", "create", "--name", "x", "--key-id", "nope", "--watchlist", wl.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--key-id 'nope' is not an access key id");
  }

  @Test
  void detectRaisesACriticalAlertOnAWatchedKeyAndKeepsState(@TempDir Path dir) throws Exception {
    Path wl = dir.resolve("wl.tsv");
    Files.writeString(wl, "AKIAHONEY00000000001\tbackup-admin-old\t2026-03-01T00:00:00Z\n");
    Path events = dir.resolve("events.jsonl");
    Files.writeString(events, HONEY_EVENT);
    Path state = dir.resolve("state.json.gz");
    Run r = run("detect", events.toString(), "--watchlist", wl.toString(), "--state", state.toString(),
        "--no-builtin-rules", "--format", "jsonl");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out().lines().filter(l -> l.startsWith("{\"class_uid\":2004"))).hasSize(1)
        .allMatch(l -> l.contains("\"uid\":\"vigil.honeytoken.used\"") && l.contains("\"severity\":\"Critical\"")
            && l.contains("honey-1"));
    assertThat(r.out().lines().filter(l -> l.startsWith("{\"class_uid\":2005"))).isNotEmpty();
    assertThat(r.err()).contains("no IP-to-country/ASN database");
    assertThat(state).exists();
    Run off = run("detect", events.toString(), "--watchlist", wl.toString(), "--no-behaviour",
        "--no-builtin-rules", "--format", "jsonl");
    assertThat(off.out()).isEmpty();
  }

  @Test
  void aBadConfigFileIsOneLineNamingFileAndKey(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("vigil.yaml");
    Files.writeString(cfg, "exfil:\n  min_byte: 5\n");
    Path events = dir.resolve("events.jsonl");
    Files.writeString(events, HONEY_EVENT);
    Run r = run("detect", events.toString(), "--config", cfg.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(cfg + ": unknown key 'exfil.min_byte'").doesNotContain("Exception");
  }
}
