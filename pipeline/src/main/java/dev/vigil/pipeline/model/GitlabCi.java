package dev.vigil.pipeline.model;

import dev.vigil.pipeline.yaml.YNode;
import java.util.List;

/**
 * The parts of a {@code .gitlab-ci.yml} that the supply-chain audits read.
 *
 * @param images   every {@code image:} / {@code services:} image node (default and per job)
 * @param includes every {@code include:} entry (remote URLs, projects with refs, templates, components)
 * @param scripts  every line node of {@code script}, {@code before_script} and {@code after_script}
 * @param variables global and job {@code variables:} mappings
 */
public record GitlabCi(CiFile file, YNode root, List<YNode> images, List<YNode> includes, List<YNode> scripts,
    List<YNode> variables) {}
