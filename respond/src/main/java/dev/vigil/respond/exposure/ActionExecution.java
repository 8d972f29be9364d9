package dev.vigil.respond.exposure;

import java.time.Instant;

/**
 * Proof from a run log that a job downloaded (and so ran) an action at a commit.
 *
 * @param log    the log file (inside a zip: {@code zip!entry})
 * @param job    the job's name as the log layout gives it
 * @param repo   {@code owner/repo} (a path inside the repository is kept: {@code owner/repo/path})
 * @param ref    the ref the workflow asked for (tag, branch or SHA)
 * @param sha    the commit GitHub resolved it to, or null when the log does not say
 * @param time   the log line's timestamp, or null
 * @param line   1-based line number in the log
 */
public record ActionExecution(String log, String job, String repo, String ref, String sha, Instant time, int line) {}
