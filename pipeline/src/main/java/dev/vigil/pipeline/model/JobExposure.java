package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one job runs and what it can read: the actions (with refs) its steps use, the secrets in reach of each
 * step (workflow, job and step env, {@code with:}, {@code secrets:}), whether it inherits all secrets, and the
 * GITHUB_TOKEN permissions it gets. Used by the audits and by incident investigation ("which jobs ran the
 * compromised action, and which secrets could it read?").
 *
 * @param permissions scope to level; {@code {"*": "default"}} when nothing is declared (GitHub's defaults apply,
 *                    read-write on older repositories), {@code {"*": "write-all"}} / {@code read-all} as written
 */
public record JobExposure(Job job, List<Uses> actions, Set<String> jobWideSecrets,
    Map<Step, Set<String>> stepSecrets, boolean inheritsAllSecrets, Map<String, String> permissions) {

  public static JobExposure of(Job job) {
    List<Uses> actions = new ArrayList<>();
    if (job.uses() != null) {
      actions.add(job.uses());
    }
    Set<String> wide = new LinkedHashSet<>();
    wide.addAll(Contexts.secretNames(job.workflow().env()));
    wide.addAll(Contexts.secretNames(job.env()));
    wide.addAll(Contexts.secretNames(job.secrets()));
    wide.addAll(Contexts.secretNames(job.with()));
    Map<Step, Set<String>> perStep = new LinkedHashMap<>();
    for (Step s : job.steps()) {
      if (s.uses() != null) {
        actions.add(s.uses());
      }
      Set<String> own = new LinkedHashSet<>();
      own.addAll(Contexts.secretNames(s.env()));
      own.addAll(Contexts.secretNames(s.with()));
      own.addAll(Contexts.secretNames(s.run()));
      perStep.put(s, own);
    }
    return new JobExposure(job, List.copyOf(actions), wide, perStep, job.inheritsSecrets(),
        permissions(job.effectivePermissions()));
  }

  /** Secrets a step can read: every job-wide secret plus its own. */
  public Set<String> secretsVisibleTo(Step step) {
    Set<String> out = new LinkedHashSet<>(jobWideSecrets);
    out.addAll(stepSecrets.getOrDefault(step, Set.of()));
    return out;
  }

  /**
   * The environment a step runs with, as written: workflow env, overridden by job env, overridden by the step's
   * own (values are the raw text, e.g. {@code ${{ secrets.AWS_ACCESS_KEY_ID }}}).
   */
  public Map<String, String> envVisibleTo(Step step) {
    Map<String, String> out = new LinkedHashMap<>();
    for (YNode scope : new YNode[] {job.workflow().env(), job.env(), step.env()}) {
      if (scope != null && scope.isMap()) {
        for (YNode.Entry e : scope.entries()) {
          out.put(e.key().text(), e.value().isScalar() ? e.value().text() : "?");
        }
      }
    }
    return out;
  }

  /** Every secret any step of the job can read (the GITHUB_TOKEN is always in reach as well). */
  public Set<String> allSecrets() {
    Set<String> out = new LinkedHashSet<>(jobWideSecrets);
    stepSecrets.values().forEach(out::addAll);
    return out;
  }

  /** The steps that use {@code ownerRepo} (any ref), for "did this job run the compromised action?". */
  public List<Step> stepsUsing(String ownerRepo) {
    return job.steps().stream().filter(s -> s.uses() != null && s.uses().repo() != null
        && s.uses().repo().equalsIgnoreCase(ownerRepo)).toList();
  }

  static Map<String, String> permissions(YNode p) {
    Map<String, String> out = new LinkedHashMap<>();
    if (p == null) {
      out.put("*", "default");
    } else if (p.isScalar()) {
      out.put("*", p.isNull() ? "none" : p.text());
    } else if (p.isMap()) {
      for (YNode.Entry e : p.entries()) {
        out.put(e.key().text(), e.value().isScalar() ? e.value().text() : "?");
      }
    }
    return out;
  }
}
