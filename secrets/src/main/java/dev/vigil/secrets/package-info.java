/**
 * Secret scanning: rules as data ({@code rules.yaml}), an Aho-Corasick keyword prefilter, linear-time regular
 * expressions, entropy and checksum validation, allowlists and de-duplication, over directory trees, archives one
 * level deep, git history (JGit) and standard input. Nothing here prints a secret whole: {@link Redaction} is the
 * only way a secret leaves a {@link Finding} for people, and {@code --show-secrets} is an explicit opt-in.
 */
package dev.vigil.secrets;
