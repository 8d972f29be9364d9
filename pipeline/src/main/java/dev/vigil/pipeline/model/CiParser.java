package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import dev.vigil.pipeline.yaml.YamlLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Builds the workflow, action and GitLab models from YAML text, reporting problems with positions. */
public final class CiParser {
  static final Set<String> WORKFLOW_KEYS = Set.of("name", "run-name", "on", "permissions", "env", "defaults",
      "concurrency", "jobs");
  static final Set<String> JOB_KEYS = Set.of("name", "permissions", "needs", "if", "runs-on", "environment",
      "concurrency", "outputs", "env", "defaults", "steps", "timeout-minutes", "strategy", "continue-on-error",
      "container", "services", "uses", "with", "secrets", "snapshot");
  static final Set<String> STEP_KEYS = Set.of("id", "if", "name", "uses", "run", "working-directory", "shell",
      "with", "env", "continue-on-error", "timeout-minutes", "parallel");
  static final Set<String> GITLAB_RESERVED = Set.of("image", "services", "stages", "types", "before_script",
      "after_script", "variables", "cache", "include", "default", "workflow", "spec");

  /** The outcome of parsing one file: at most one of the models is set; null models mean a fatal problem. */
  public record Parsed(CiFile file, Workflow workflow, ActionFile action, GitlabCi gitlab, List<Problem> problems) {
    public boolean usable() {
      return workflow != null || action != null || gitlab != null;
    }
  }

  private CiParser() {}

  public static Parsed parse(String path, CiFile.Kind kind, String text) {
    List<Problem> problems = new ArrayList<>();
    YNode root;
    try {
      root = YamlLoader.parse(text, path);
    } catch (YamlLoader.YamlError e) {
      problems.add(new Problem(path, e.line, e.column, "invalid YAML: " + e.getMessage(), true));
      return new Parsed(null, null, null, null, problems);
    }
    CiFile file = new CiFile(path, kind, text, root);
    if (root == null || !root.isMap()) {
      problems.add(new Problem(path, root == null ? 1 : root.line(), root == null ? 1 : root.column(),
          (root == null ? "empty document" : "the document is a " + describe(root) + ", not a mapping")
              + ": nothing to audit", true));
      return new Parsed(file, null, null, null, problems);
    }
    Consumer<Problem> sink = problems::add;
    if (kind == CiFile.Kind.WORKFLOW && root.get("runs") != null && root.get("jobs") == null
        && root.get("on") == null) {
      kind = CiFile.Kind.ACTION; // action metadata under another name (a loose directory of YAML files)
      file = new CiFile(path, kind, text, root);
    }
    return switch (kind) {
      case WORKFLOW -> new Parsed(file, workflow(file, root, sink), null, null, problems);
      case ACTION -> new Parsed(file, null, action(file, root, sink), null, problems);
      case GITLAB -> new Parsed(file, null, null, gitlab(file, root, sink), problems);
    };
  }

  static String describe(YNode n) {
    return switch (n.kind()) {
      case MAP -> "mapping";
      case SEQ -> "list";
      case SCALAR -> "scalar";
    };
  }

  private static void unknownKeys(CiFile f, YNode map, Set<String> known, String where, Consumer<Problem> sink) {
    for (YNode.Entry e : map.entries()) {
      String k = e.key().text();
      if (k == null || !known.contains(k)) {
        sink.accept(new Problem(f.path(), e.key().line(), e.key().column(),
            "unknown key '" + k + "' in " + where + " (ignored)", false));
      }
    }
  }

  private static Workflow workflow(CiFile f, YNode root, Consumer<Problem> sink) {
    unknownKeys(f, root, WORKFLOW_KEYS, "workflow", sink);
    YNode on = root.get("on");
    List<String> triggers = new ArrayList<>();
    if (on == null) {
      sink.accept(new Problem(f.path(), root.line(), root.column(), "workflow has no 'on:' triggers", false));
    } else {
      triggers.addAll(on.strings());
    }
    List<Job> jobs = new ArrayList<>();
    Workflow w = new Workflow(f, root, root.str("name"), on, List.copyOf(triggers), root.get("permissions"),
        root.get("env"), jobs);
    YNode jobsNode = root.get("jobs");
    if (jobsNode == null) {
      sink.accept(new Problem(f.path(), root.line(), root.column(), "workflow has no 'jobs:'", false));
    } else if (!jobsNode.isMap()) {
      sink.accept(new Problem(f.path(), jobsNode.line(), jobsNode.column(),
          "'jobs' must be a mapping, found a " + describe(jobsNode), false));
    } else {
      for (YNode.Entry e : jobsNode.entries()) {
        YNode j = e.value();
        String id = e.key().text();
        if (!j.isMap()) {
          sink.accept(new Problem(f.path(), j.line(), j.column(),
              "job '" + id + "' must be a mapping, found a " + describe(j), false));
          continue;
        }
        unknownKeys(f, j, JOB_KEYS, "job '" + id + "'", sink);
        List<Step> steps = new ArrayList<>();
        Job job = new Job(w, id, e.key(), j, j.str("name"), j.get("runs-on"), j.get("permissions"), j.get("env"),
            steps, Uses.parse(j.get("uses")), j.get("with"), j.get("secrets"), j.get("container"),
            j.get("services"), j.get("strategy"), j.get("environment"), j.get("if"));
        steps(f, j.get("steps"), job, null, steps, "job '" + id + "'", sink);
        jobs.add(job);
      }
    }
    return w;
  }

  private static void steps(CiFile f, YNode stepsNode, Job job, ActionFile[] action, List<Step> out, String where,
      Consumer<Problem> sink) {
    if (stepsNode == null || stepsNode.isNull()) {
      return;
    }
    if (!stepsNode.isSeq()) {
      sink.accept(new Problem(f.path(), stepsNode.line(), stepsNode.column(),
          "'steps' of " + where + " must be a list, found a " + describe(stepsNode), false));
      return;
    }
    int i = 0;
    for (YNode s : stepsNode.items()) {
      if (!s.isMap()) {
        sink.accept(new Problem(f.path(), s.line(), s.column(),
            "step " + (i + 1) + " of " + where + " must be a mapping, found a " + describe(s), false));
        i++;
        continue;
      }
      unknownKeys(f, s, STEP_KEYS, "step " + (i + 1) + " of " + where, sink);
      if (s.get("parallel") != null && s.get("parallel").isSeq()) {
        steps(f, s.get("parallel"), job, action, out, where + " (parallel)", sink); // parallel steps
        i++;
        continue;
      }
      out.add(new Step(f, job, action == null ? null : action[0], i, s, s.str("id"), s.str("name"),
          Uses.parse(s.get("uses")), s.get("run"), s.get("with"), s.get("env"), s.get("if")));
      i++;
    }
  }

  private static ActionFile action(CiFile f, YNode root, Consumer<Problem> sink) {
    YNode runs = root.get("runs");
    List<Step> steps = new ArrayList<>();
    if (runs == null || !runs.isMap()) {
      sink.accept(new Problem(f.path(), root.line(), root.column(), "action has no 'runs:' mapping", false));
      return new ActionFile(f, root, root.str("name"), null, null, steps);
    }
    ActionFile[] holder = new ActionFile[1];
    holder[0] = new ActionFile(f, root, root.str("name"), runs.str("using"), runs.get("image"), steps);
    steps(f, runs.get("steps"), null, holder, steps, "action", sink);
    return holder[0];
  }

  private static GitlabCi gitlab(CiFile f, YNode root, Consumer<Problem> sink) {
    List<YNode> images = new ArrayList<>();
    List<YNode> includes = new ArrayList<>();
    List<YNode> scripts = new ArrayList<>();
    List<YNode> variables = new ArrayList<>();
    collectGitlabJob(root, images, scripts, variables);
    YNode def = root.get("default");
    if (def != null && def.isMap()) {
      collectGitlabJob(def, images, scripts, variables);
    }
    YNode inc = root.get("include");
    if (inc != null) {
      if (inc.isSeq()) {
        includes.addAll(inc.items());
      } else {
        includes.add(inc);
      }
    }
    for (YNode.Entry e : root.entries()) {
      String k = e.key().text();
      if (k == null || GITLAB_RESERVED.contains(k) || !e.value().isMap()) {
        continue;
      }
      collectGitlabJob(e.value(), images, scripts, variables);
    }
    return new GitlabCi(f, root, images, includes, scripts, variables);
  }

  private static void collectGitlabJob(YNode job, List<YNode> images, List<YNode> scripts, List<YNode> variables) {
    YNode image = job.get("image");
    if (image != null) {
      images.add(image.isMap() && image.get("name") != null ? image.get("name") : image);
    }
    YNode services = job.get("services");
    if (services != null && services.isSeq()) {
      for (YNode s : services.items()) {
        images.add(s.isMap() && s.get("name") != null ? s.get("name") : s);
      }
    }
    for (String key : List.of("script", "before_script", "after_script")) {
      YNode s = job.get(key);
      if (s != null) {
        if (s.isSeq()) {
          s.items().forEach(i -> {
            if (i.isScalar()) {
              scripts.add(i);
            } else if (i.isSeq()) {
              i.items().stream().filter(YNode::isScalar).forEach(scripts::add);
            }
          });
        } else if (s.isScalar()) {
          scripts.add(s);
        }
      }
    }
    YNode v = job.get("variables");
    if (v != null && v.isMap()) {
      variables.add(v);
    }
  }
}
