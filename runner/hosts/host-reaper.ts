// A reaper on each host (like the watchdog, but on the far side of the SSH connection): what the run makes on a
// host is registered with it first, and it undoes all of it when the connection drops — SIGKILL of the runner
// included — or when the run ends and closes its stdin.
import fs from 'node:fs';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ResultPromise } from 'execa';
import { HostsError } from './hosts-error.ts';
import type { SshMaster } from './ssh-master.ts';
import { shellQuote } from './ssh-target.ts';

const SCRIPT = fs.readFileSync(fileURLToPath(new URL('./host-reaper.sh', import.meta.url)), 'utf8');
const ACK_MS = 10_000;
/** A new session pays the host's login shell (here root's .bashrc with pyenv: seconds on a loaded machine). */
const READY_MS = 60_000;
/** Only plain absolute paths and chain/unit names: the script splits its lists on blanks. */
const SAFE = /^[A-Za-z0-9_.@:/-]+$/;

/** What the reaper can undo on its host. */
export type HostItemKind = 'pidfile' | 'chain' | 'dir' | 'unit';

/** The reaper of one host, running in one channel of its master. */
export class HostReaper {
  /** The reaper's lines (ok …, reaped …, done), for evidence. */
  readonly lines: string[] = [];
  private readonly waiters: ((line: string) => void)[] = [];
  private closing?: Promise<string[]>;

  private constructor(
    private readonly host: string,
    private readonly channel: ResultPromise,
  ) {
    readline.createInterface({ input: channel.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const w of this.waiters.splice(0)) w(line);
    });
  }

  /** The remote shell's pid, as it said in its "ready" line. */
  remotePid = 0;

  /** Starts the reaper over `master` and waits for its "ready" line. */
  static async start(master: SshMaster): Promise<HostReaper> {
    const channel = master.open(`exec sh -c ${shellQuote(SCRIPT)}`, { stdin: 'pipe' });
    const r = new HostReaper(master.target.name, channel);
    const ready = await r.next((l) => l.startsWith('ready '), READY_MS);
    r.remotePid = Number(ready.slice(6));
    return r;
  }

  /** Registers an item and waits for the reaper's ack: from then on it is undone even if the runner dies. */
  async register(kind: HostItemKind, value: string): Promise<void> {
    if (!SAFE.test(value)) throw new HostsError(this.host, kind, `"${value}" cannot be registered with the host's reaper (letters, digits and _ . @ : / - only).`, 'use plain absolute paths and names.');
    const acked = this.next((l) => l === `ok ${kind} ${value}` || l.startsWith('error '));
    this.channel.stdin!.write(`${kind} ${value}\n`);
    const line = await acked;
    if (line.startsWith('error ')) throw new HostsError(this.host, 'reaper', `the host's reaper refused "${kind} ${value}": ${line}`, 'this is a bug in Faultline; report it with the line.');
  }

  /** Ends its stdin (it reaps whatever is still registered) and waits for it; returns its "reaped" lines. */
  close(): Promise<string[]> {
    this.closing ??= (async () => {
      this.channel.stdin?.end();
      await Promise.race([this.channel, new Promise((r) => setTimeout(r, ACK_MS))]);
      return this.lines.filter((l) => l.startsWith('reaped '));
    })();
    return this.closing;
  }

  private next(match: (line: string) => boolean, ms = ACK_MS): Promise<string> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new HostsError(this.host, 'reaper', `the host's reaper did not answer within ${ms} ms (its lines: ${this.lines.slice(-3).join(' | ') || 'none'}).`, 'check that the host has a POSIX sh and the SSH connection is up.')), ms);
      const wait = (line: string) => {
        if (match(line)) {
          clearTimeout(timer);
          resolve(line);
        } else this.waiters.push(wait);
      };
      this.waiters.push(wait);
      void this.channel.then(() => {
        clearTimeout(timer);
        reject(new HostsError(this.host, 'reaper', `the host's reaper ended (its lines: ${this.lines.slice(-3).join(' | ') || 'none'}).`, 'check the SSH connection to the host.'));
      });
    });
  }
}
