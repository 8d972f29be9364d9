/** Detection core: Sigma engine, behavioural detectors, correlation. Depends on nothing above ingest. */
package dev.vigil.detect;
