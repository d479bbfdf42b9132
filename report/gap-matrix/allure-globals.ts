// Puts the gap matrix into the Allure report as global attachments: Allure 3 reads
// `<uuid>-globals.json` from the results folder (allure-js-commons' `globalAttachment` writes the same
// file, but only from inside a test; the reporter runs after the tests).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One file to attach. */
export interface GlobalAttachmentFile {
  name: string;
  content: string;
  contentType: string;
  extension: string;
}

/** Writes the attachments and the globals file that lists them; returns the globals file's path. */
export function writeAllureGlobals(resultsDir: string, files: GlobalAttachmentFile[]): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const timestamp = Date.now();
  const attachments = files.map((f) => {
    const source = `${randomUUID()}-attachment.${f.extension}`;
    fs.writeFileSync(path.join(resultsDir, source), f.content);
    return { name: f.name, source, type: f.contentType, timestamp };
  });
  const file = path.join(resultsDir, `${randomUUID()}-globals.json`);
  fs.writeFileSync(file, JSON.stringify({ attachments, errors: [] }));
  return file;
}
