/**
 * Masking. Every secret goes to two maskers: the process-wide Redactor (which scrubs
 * what this action writes to comments, summaries, outputs and errors) and the runner's `add-mask`
 * (which scrubs the log), each with every derived form the Redactor knows: URL-encoded, base64,
 * JSON-escaped, each PEM line.
 */
import * as core from '@actions/core';

import { parseDatabaseUrl, urlSecrets } from '../config/url.js';
import { redactor, secretForms } from '../report/redact.js';

const maskedForRunner = new Set<string>();

function addMaskForms(secret: string): void {
  for (const form of secretForms(secret)) {
    if (maskedForRunner.has(form)) continue;
    maskedForRunner.add(form);
    core.setSecret(form);
  }
}

/** Masks one secret value and its derived forms; '' is ignored. */
export function maskSecret(secret: string | null | undefined): void {
  if (secret === null || secret === undefined || secret === '') return;
  redactor.add(secret);
  addMaskForms(secret);
}

/** Masks for the runner the secrets registered with the Redactor elsewhere (the run layer adds URL passwords). */
export function maskRegisteredSecrets(secrets: readonly string[] = redactor.secrets): void {
  for (const secret of secrets) addMaskForms(secret);
}

/** The text with every known secret form masked: the last step before anything leaves the process. */
export function redact(text: string): string {
  return redactor.redact(text);
}

/** A database URL's password and credential-like query values, and the URL itself when it holds any. */
export function maskDatabaseUrl(raw: string): void {
  if (raw.trim() === '') return;
  let secrets: string[];
  try {
    secrets = urlSecrets(parseDatabaseUrl(raw.trim()));
  } catch {
    // Unparsable: it may still hold a password, so the whole value is the secret.
    maskSecret(raw);
    return;
  }
  for (const secret of secrets) maskSecret(secret);
  if (secrets.length > 0) {
    maskSecret(raw);
    maskSecret(raw.trim());
  }
}
