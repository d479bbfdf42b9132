// The one place that reads the environment for service configuration.
import fs from 'node:fs';
import path from 'node:path';

/** Finds an executable: the variable's value when set, else the first match on PATH. */
export function findBinary(name: string, variable: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env[variable];
  if (configured) return isExecutable(configured) ? configured : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Why a binary is missing, worded as the fix. */
export function missingBinary(name: string, variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[variable];
  const notExecutable = configured ? notExecutableReason(configured) : undefined;
  if (configured && notExecutable) return `${name} binary at ${variable}=${configured} ${notExecutable}; run chmod +x "${configured}", or fix the path or unset ${variable}`;
  return configured
    ? `${name} binary not found at ${variable}=${configured} (no executable file there); fix the path or unset ${variable}`
    : `${name} binary not configured (set ${variable}, or put "${name}" on PATH)`;
}

/** True for an executable regular file. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** "exists but is not executable (mode 0644)" for a regular file without an x bit this process may use; else undefined (missing, a directory, or executable). */
export function notExecutableReason(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || isExecutable(file)) return undefined;
    return `exists but is not executable (mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')})`;
  } catch {
    return undefined;
  }
}
