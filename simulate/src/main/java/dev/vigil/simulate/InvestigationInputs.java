package dev.vigil.simulate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The inputs of an investigation of the simulated breach, besides the CloudTrail logs: the hosting team's git
 * repository (a bare repository whose history has a deploy workflow using the poisoned trivy-action tag with the
 * AWS key secrets in reach, fixed after the incident), GitHub Actions run logs of the CI runs in the exposure
 * window, the secret map and the tenant map. Deterministic: fixed identities and commit times; the repository is
 * bare (no index, whose bytes hold file times) and written with loose objects, so two same-seed trees are equal.
 */
final class InvestigationInputs {

  static final String TRIVY = "aquasecurity/trivy-action";
  static final String AFFECTED_TAG = "0.34.2";
  /** The commit the poisoned 0.34.2 tag pointed to in the window (bundled TeamPCP feed). */
  static final String MALICIOUS_SHA = "ddb9da4475c1cef7d5389062bdfdfbdbd1394648";
  static final String SAFE_SHA = "57a97c7e7821a5776cebc9bb87c984fa69cba8f1";
  static final String WORKFLOW = ".github/workflows/deploy.yml";
  static final String JOB = "deploy";
  static final String[] SECRETS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"};
  /** Runs of the deploy workflow inside the window 2026-03-19T17:43Z..2026-03-20T05:40Z. */
  static final String[] RUNS_IN_WINDOW = {"2026-03-19T18:01:04Z", "2026-03-19T22:14:37Z"};

  private final World w;
  String exposedCommit;

  InvestigationInputs(World w) {
    this.w = w;
  }

  void write(Path out) throws IOException {
    writeRepo(out.resolve("repo"));
    writeRunLogs(out.resolve("run-logs"));
    writeSecretMap(out.resolve("secret-map.json"));
    writeTenants(out.resolve("tenants.json"));
  }

  private static String deploy(String trivyRef) {
    return "name: deploy\non:\n  push:\n    branches: [main]\n  schedule:\n    - cron: '0 */4 * * *'\n"
        + "permissions:\n  contents: read\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n"
        + "      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
        + "      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"
        + "      AWS_DEFAULT_REGION: eu-west-1\n    steps:\n      - uses: actions/checkout@v4\n"
        + "      - name: Scan image\n        uses: " + TRIVY + "@" + trivyRef + "\n        with:\n"
        + "          scan-type: fs\n      - name: Sync sites\n        run: aws s3 sync site/ s3://hosting-sites/\n";
  }

  private static final String LINT = "name: lint\non: [pull_request]\npermissions:\n  contents: read\njobs:\n"
      + "  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
      + "      - run: make lint\n";

  /** Uses trivy-action too, but pinned to the safe commit and without AWS secrets: not exposed. */
  private static final String NIGHTLY = "name: nightly-scan\non:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n"
      + "  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
      + "      - uses: " + TRIVY + "@" + SAFE_SHA + " # 0.35.0\n        with:\n          scan-type: config\n";

  private void writeRepo(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
      repo.create(true);
      ObjectId parent = null;
      Map<String, String> files = new LinkedHashMap<>();
      files.put("README.md", "# hosting\n\nDeploys the hosted sites.\n");
      files.put(".github/workflows/lint.yml", LINT);
      parent = commit(repo, files, parent, "2026-01-12T09:30:00Z", "Add lint workflow");
      files.put(WORKFLOW, deploy("0.28.0"));
      parent = commit(repo, files, parent, "2026-02-02T10:05:00Z", "Deploy sites from CI");
      files.put(WORKFLOW, deploy(AFFECTED_TAG));
      parent = commit(repo, files, parent, "2026-03-05T14:12:00Z", "Bump trivy-action to " + AFFECTED_TAG);
      exposedCommit = parent.name();
      files.put(".github/workflows/nightly-scan.yml", NIGHTLY);
      files.put(WORKFLOW, deploy(AFFECTED_TAG));
      // the nightly scan is added after the deploy bump, still before the window: the deploy file is unchanged
      parent = commit(repo, files, parent, "2026-03-10T08:40:00Z", "Add nightly config scan");
      exposedCommit = parent.name();
      files.put(WORKFLOW, deploy(SAFE_SHA + " # 0.35.0"));
      parent = commit(repo, files, parent, "2026-03-23T11:20:00Z", "Pin trivy-action to 0.35.0 commit (GHSA-69fq-xp46-6x23)");
      RefUpdate ru = repo.updateRef("refs/heads/main");
      ru.setNewObjectId(parent);
      ru.setForceUpdate(true);
      ru.update();
      repo.updateRef(Constants.HEAD).link("refs/heads/main");
    }
  }

  private static ObjectId commit(Repository repo, Map<String, String> files, ObjectId parent, String time,
      String message) throws IOException {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      ObjectId tree = tree(ins, files, "");
      PersonIdent who = new PersonIdent("Hosting CI Maintainer", "ci-maintainer@hosting.example",
          Instant.parse(time), TimeZone.getTimeZone("UTC").toZoneId());
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(tree);
      if (parent != null) {
        c.setParentId(parent);
      }
      c.setAuthor(who);
      c.setCommitter(who);
      c.setMessage(message + "\n");
      ObjectId id = ins.insert(c);
      ins.flush();
      return id;
    }
  }

  /** A tree for the files under {@code prefix}; git sorts entries by name, sub-trees as name + "/". */
  private static ObjectId tree(ObjectInserter ins, Map<String, String> files, String prefix) throws IOException {
    java.util.TreeMap<String, Object> entries = new java.util.TreeMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      if (!f.getKey().startsWith(prefix)) {
        continue;
      }
      String rest = f.getKey().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        entries.put(rest, f.getValue());
      } else {
        entries.put(rest.substring(0, slash) + "/", Boolean.TRUE);
      }
    }
    TreeFormatter tf = new TreeFormatter();
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      if (e.getValue() instanceof String content) {
        tf.append(e.getKey(), FileMode.REGULAR_FILE,
            ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
      } else {
        String name = e.getKey().substring(0, e.getKey().length() - 1);
        tf.append(name, FileMode.TREE, tree(ins, files, prefix + name + "/"));
      }
    }
    return ins.insert(tf);
  }

  private void writeRunLogs(Path dir) throws IOException {
    for (int i = 0; i < RUNS_IN_WINDOW.length; i++) {
      Instant t = Instant.parse(RUNS_IN_WINDOW[i]);
      Path job = dir.resolve("deploy-run-" + (4101 + i)).resolve(JOB);
      Files.createDirectories(job);
      String ts = t.toString().replace("Z", ".0000000Z");
      String setup = ts + " Current runner version: '2.332.0'\n"
          + ts + " Prepare all required actions\n"
          + ts + " Getting action download info\n"
          + ts + " Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)\n"
          + ts + " Download action repository '" + TRIVY + "@" + AFFECTED_TAG + "' (SHA:" + MALICIOUS_SHA + ")\n"
          + ts + " Complete job name: " + JOB + "\n";
      Files.writeString(job.resolve("1_Set up job.txt"), setup);
      String ts2 = t.plusSeconds(40).toString().replace("Z", ".0000000Z");
      Files.writeString(job.resolve("3_Scan image.txt"), ts2 + " Run " + TRIVY + "@" + AFFECTED_TAG + "\n"
          + ts2 + " Scanning filesystem\n");
    }
  }

  private void writeSecretMap(Path file) throws IOException {
    Files.writeString(file, "{\n  \"AWS_ACCESS_KEY_ID\": \"" + w.ci.key() + "\"\n}\n");
  }

  private void writeTenants(Path file) throws IOException {
    StringBuilder b = new StringBuilder("{\n  \"tenants\": {\n");
    for (int i = 0; i < w.tenants.size(); i++) {
      World.Tenant t = w.tenants.get(i);
      b.append("    \"").append(t.name()).append("\": {\"bucket\": \"").append(t.bucket())
          .append("\", \"contact\": \"dpo@").append(t.name()).append(".example\"}")
          .append(i + 1 < w.tenants.size() ? ",\n" : "\n");
    }
    Files.writeString(file, b.append("  }\n}\n").toString());
  }

  void truth(JsonGenerator g) throws IOException {
    g.writeStringField("exposed_workflow", WORKFLOW);
    g.writeStringField("exposed_job", JOB);
    g.writeArrayFieldStart("exposed_secrets");
    for (String s : SECRETS) {
      g.writeString(s);
    }
    g.writeEndArray();
    g.writeStringField("exposed_commit", exposedCommit);
    g.writeStringField("malicious_action_sha", MALICIOUS_SHA);
    g.writeNumberField("exposed_runs", RUNS_IN_WINDOW.length);
  }
}
