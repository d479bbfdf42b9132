import { Etcd3 } from 'etcd3';
import { Host } from 'etcd3/lib/connection-pool.js';
console.log(typeof Host, new Host('x', undefined).faultHandling.constructor.name);
const log = [];
const wrap = (h, inner) => ({ get _altReturn() { return undefined; }, onSuccess: inner.onSuccess, onFailure: inner.onFailure,
  execute(fn, signal) { let called = false; const t0 = performance.now();
    return inner.execute((ctx) => { called = true; log.push(['call', h, Math.round(performance.now())]); return Promise.resolve().then(() => fn(ctx)).then((v) => { log.push(['ok', h]); return v; }, (e) => { log.push(['err', h, e.constructor.name, e.message, Math.round(performance.now()-t0)]); throw e; }); }, signal)
      .catch((e) => { if (!called) log.push(['skip', h, e.constructor.name, e.message]); throw e; }); } });
for (const hosts of [['127.0.0.1:54999'], ['127.0.0.1:54999', '127.0.0.1:54901']]) {
  const c = new Etcd3({ hosts, faultHandling: { host: (h) => wrap(h, new Host(h, undefined).faultHandling) }, defaultCallOptions: (ctx) => ctx.isStream ? {} : { deadline: Date.now() + 2000 } });
  for (let i = 0; i < 3; i++) {
    log.length = 0; const t = performance.now();
    try { await c.put('k').value('v' + i); console.log('ok', Math.round(performance.now() - t)); } catch (e) { console.log('ERR', e.constructor.name, e.message, Math.round(performance.now() - t)); }
    console.log(JSON.stringify(log));
  }
  c.close();
}
