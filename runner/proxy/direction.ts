// One direction of a proxied connection: reads a source, shapes bytes, writes a sink, with backpressure.
import type { Socket } from 'node:net';
import type { Shaping } from './shaping.ts';

/** Above this many queued bytes the source is paused (delay and throttle must not buffer without bound). */
const HIGH_WATER_BYTES = 1024 * 1024;
/** A paused source resumes once the queue drains below this. */
const LOW_WATER_BYTES = 256 * 1024;
/** Bandwidth is paced in slices worth this many milliseconds, so throughput is smooth at any chunk size. */
const BANDWIDTH_SLICE_MS = 20;

interface Pending {
  chunk: Buffer;
  due: number;
}

/** Forwards source → sink in order; the sink may attach later (upstream still connecting). */
export class Direction {
  forwarded = 0;
  dropped = 0;
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private sink: Socket | undefined;
  private sinkBlocked = false;
  private sourceEnded = false;
  private endForwarded = false;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private lastDue = -Infinity;
  private nextSendAt = -Infinity;
  private disposed = false;

  constructor(
    private readonly source: Socket,
    private readonly now: () => number,
    private shaping: Shaping,
  ) {
    source.on('data', (chunk: Buffer) => this.onData(chunk));
    source.on('end', () => {
      this.sourceEnded = true;
      this.flush();
    });
  }

  /** Starts writing to `sink` (the upstream once connected, or the client socket). */
  attach(sink: Socket): void {
    this.sink = sink;
    sink.on('drain', () => {
      this.sinkBlocked = false;
      this.flush();
    });
    this.flush();
  }

  /** Applies a new fault to bytes read from now on; "drop" also discards what is still queued. */
  setShaping(shaping: Shaping): void {
    this.shaping = shaping;
    if (shaping.kind === 'drop') {
      this.dropped += this.queuedBytes;
      this.queue.length = 0;
      this.queuedBytes = 0;
      this.clearTimer();
    }
    this.flush();
  }

  /** Stops timers; the sockets themselves are owned by the connection. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private onData(chunk: Buffer): void {
    if (this.disposed) return;
    const shaping = this.shaping;
    if (shaping.kind === 'drop') {
      this.dropped += chunk.length;
      return;
    }
    if (shaping.kind === 'pass' && this.queue.length === 0 && this.sink && !this.sinkBlocked) {
      this.write(chunk);
      this.updateFlow();
      return;
    }
    const now = this.now();
    let due = now;
    if (shaping.kind === 'latency') {
      due = now + Math.max(0, shaping.ms + (Math.random() * 2 - 1) * shaping.jitterMs);
    }
    // Jitter must not reorder bytes: a chunk never leaves before the one read before it.
    due = Math.max(due, this.lastDue);
    this.lastDue = due;
    this.queue.push({ chunk, due });
    this.queuedBytes += chunk.length;
    this.flush();
  }

  private flush(): void {
    if (this.disposed) return;
    this.clearTimer();
    if (this.shaping.kind === 'drop') return this.updateFlow();
    while (this.queue.length > 0 && this.sink && !this.sinkBlocked) {
      const head = this.queue[0]!;
      const now = this.now();
      if (head.due > now) return this.wait(head.due - now);
      if (this.shaping.kind === 'bandwidth') {
        if (this.nextSendAt > now) return this.wait(this.nextSendAt - now);
        const bps = this.shaping.bytesPerSecond;
        const slice = Math.max(1, Math.floor((bps * BANDWIDTH_SLICE_MS) / 1000));
        const part = head.chunk.length > slice ? head.chunk.subarray(0, slice) : head.chunk;
        if (part === head.chunk) this.queue.shift();
        else head.chunk = head.chunk.subarray(slice);
        this.queuedBytes -= part.length;
        this.nextSendAt = Math.max(now, this.nextSendAt) + (part.length * 1000) / bps;
        this.write(part);
      } else {
        this.queue.shift();
        this.queuedBytes -= head.chunk.length;
        this.write(head.chunk);
      }
    }
    if (this.queue.length === 0 && this.sourceEnded && this.sink && !this.endForwarded) {
      this.endForwarded = true;
      this.sink.end();
    }
    this.updateFlow();
  }

  private write(chunk: Buffer): void {
    const sink = this.sink!;
    if (sink.destroyed) {
      this.dropped += chunk.length;
      return;
    }
    this.forwarded += chunk.length;
    if (!sink.write(chunk)) this.sinkBlocked = true;
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, Math.max(1, Math.ceil(ms)));
    this.updateFlow();
  }

  private updateFlow(): void {
    const limit = this.paused ? LOW_WATER_BYTES : HIGH_WATER_BYTES;
    const pause = this.shaping.kind !== 'drop' && (this.sinkBlocked || this.queuedBytes > limit);
    if (pause === this.paused || this.source.destroyed) return;
    this.paused = pause;
    if (pause) this.source.pause();
    else this.source.resume();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
