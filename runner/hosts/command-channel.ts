// A shell kept open on the host over its master: a fault is one line written and one line read back — no ssh
// client process to start per fault, which on a loaded machine costs more than the round trip itself.
import readline from 'node:readline';
import type { ResultPromise } from 'execa';
import { HostsError } from './hosts-error.ts';
import type { RemoteResult, SshMaster } from './ssh-master.ts';

const DONE = '__faultline_done ';

/** One remote `sh` reading commands on stdin; commands run one at a time, in order. */
export class CommandChannel {
  private seq = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private output: string[] = [];
  private waiter?: (line: string) => void;
  private ended = false;

  private constructor(
    private readonly host: string,
    private readonly channel: ResultPromise,
  ) {
    readline.createInterface({ input: channel.stdout! }).on('line', (line) => (this.waiter ? this.waiter(line) : this.output.push(line)));
    void channel.then(() => {
      this.ended = true;
      this.waiter?.(`${DONE}-1 255`);
    });
  }

  /** Opens the shell over `master`. */
  static open(master: SshMaster): CommandChannel {
    return new CommandChannel(master.target.name, master.open('exec sh', { stdin: 'pipe' }));
  }

  /** Runs `command` (stdin empty, stderr with stdout) and resolves with its exit code and output. */
  run(command: string): Promise<RemoteResult> {
    const next = this.queue.then(() => this.runNow(command));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the shell. */
  async close(): Promise<void> {
    this.channel.stdin?.end();
    await Promise.race([this.channel, new Promise((r) => setTimeout(r, 2_000))]);
    if (!this.ended) this.channel.kill('SIGKILL');
  }

  private runNow(command: string): Promise<RemoteResult> {
    if (this.ended) return Promise.reject(new HostsError(this.host, 'connection', 'the command channel to the host has ended.', 'check the SSH connection to the host.'));
    const id = ++this.seq;
    const lines: string[] = [];
    return new Promise((resolve) => {
      const take = (line: string) => {
        if (!line.startsWith(DONE)) return void lines.push(line);
        this.waiter = undefined;
        const [, code] = line.slice(DONE.length).split(' ');
        resolve({ exitCode: Number(code), stdout: lines.join('\n'), stderr: '' });
      };
      this.waiter = take;
      for (const l of this.output.splice(0)) take(l);
      this.channel.stdin!.write(`{ ${command}\n} </dev/null 2>&1; echo "${DONE}${id} $?"\n`);
    });
  }
}
