// toReceiveAll / toEnd: what a watch client did, checked against the write history.
import type { WatchCheck } from '../watch/watch-guarantees.ts';

/** Every acknowledged write under the prefix was delivered once, in order. */
export function toReceiveAll(received: WatchCheck) {
  const pass = received.ok && received.lost.length === 0 && received.notDelivered.length === 0;
  return {
    pass,
    name: 'toReceiveAll',
    expected: `${received.expected.length} events, in order, once each`,
    actual: `${received.delivered} delivered, ${received.lost.length + received.notDelivered.length} missing, ${received.duplicated.length} duplicated, ${received.reordered.length} reordered`,
    message: () => `Expected ${received.client} ${pass ? 'not ' : ''}to receive every acknowledged write under ${JSON.stringify(received.prefix)}:\n${received.describe()}`,
  };
}

/** The stream ended by itself and did not come back. */
export function toEnd(received: WatchCheck) {
  const pass = received.ended !== undefined && received.reconnects.filter((r) => r.t > received.ended!.t).length === 0;
  return {
    pass,
    name: 'toEnd',
    expected: 'the stream ends by itself',
    actual: received.ended ? `${received.ended.kind} ${received.ended.detail ?? ''}` : 'still open',
    message: () => `Expected ${received.client} ${pass ? 'not ' : ''}to end by itself and stay ended:\n${received.describe()}`,
  };
}
