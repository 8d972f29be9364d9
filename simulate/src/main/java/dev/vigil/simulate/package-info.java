/** Deterministic simulator of cloud audit datasets with known ground truth. */
package dev.vigil.simulate;
