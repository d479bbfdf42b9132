// The pid behind a port, for services that cannot state who they are: a node's own listener passes,
// another process's listener on the node's port is a ForeignNodeError naming that process.
import net from 'node:net';
import { test, expect } from '@playwright/test';
import { execa } from 'execa';
import { ForeignNodeError } from '../../runner/process/process-errors.ts';
import { describeListener, NODE_MARKER_VAR, verifyPortOwners } from '../../runner/port-owner.ts';
import { PortAllocator, workerPortBase } from '../../runner/ports.ts';

/** A fixture node: a detached child (its own process group) listening on `port`. */
async function listeningChild(port: number, env: Record<string, string> = {}) {
  const sub = execa(process.execPath, ['-e', `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))`], { detached: true, reject: false, env });
  await new Promise<void>((resolve) => sub.stdout!.once('data', () => resolve()));
  // Wrapped: a subprocess is a thenable, so returning it bare would wait for its end.
  return { pid: sub.pid!, done: sub };
}

test("a node's own listener passes; another process on its port is named in a ForeignNodeError", async () => {
  const ports = new PortAllocator(workerPortBase(test.info().parallelIndex) + 200);
  const [own, taken] = await ports.allocate(2);
  const node = await listeningChild(own!);
  const intruder = net.createServer();
  try {
    await new Promise<void>((r) => intruder.listen(taken!, '127.0.0.1', r));
    await verifyPortOwners('node-1', [own!], node.pid);
    // A port nobody listens on is no one's: the node may not use it.
    await verifyPortOwners('node-1', [own!, taken! + 1000], node.pid);
    const e = await verifyPortOwners('node-1', [own!, taken!], node.pid).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ForeignNodeError);
    expect(String(e)).toContain(`"node-1" at 127.0.0.1:${taken}`);
    expect(String(e)).toContain(`pid ${process.pid}: `);
    expect(describeListener(own!)).toContain(`pid ${node.pid}: `);
  } finally {
    intruder.close();
    process.kill(-node.pid, 'SIGKILL');
    await node.done;
    await ports.close();
  }
});

test('a daemon that left the node\'s process group is still known as the node by its marker', async () => {
  const ports = new PortAllocator(workerPortBase(test.info().parallelIndex) + 220);
  const [port] = await ports.allocate(1);
  // The node's group leader (a launch script that exits its work to a setsid daemon) and the daemon.
  const leader = execa('sleep', ['30'], { detached: true, reject: false });
  const daemon = await listeningChild(port!, { [NODE_MARKER_VAR]: 'tok-1/node-1' });
  try {
    await verifyPortOwners('node-1', [port!], leader.pid!, 'tok-1/node-1');
    await expect(verifyPortOwners('node-1', [port!], leader.pid!, 'tok-2/node-1')).rejects.toThrow(ForeignNodeError);
    await expect(verifyPortOwners('node-1', [port!], leader.pid!)).rejects.toThrow(ForeignNodeError);
  } finally {
    process.kill(-daemon.pid, 'SIGKILL');
    process.kill(-leader.pid!, 'SIGKILL');
    await Promise.all([daemon.done, leader]);
    await ports.close();
  }
});
