// Short-lived helper commands (versions, capability checks), run the one way the runner runs things.
import { execaSync } from 'execa';

/** stdout+stderr of a command, or undefined when it cannot run or fails. */
export function commandOutput(command: string, args: string[], timeoutMs = 5000): string | undefined {
  try {
    const r = execaSync(command, args, { reject: false, timeout: timeoutMs, all: true, stdin: 'ignore' });
    return r.exitCode === 0 ? String(r.all ?? '') : undefined;
  } catch {
    return undefined;
  }
}
