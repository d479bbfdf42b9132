// PlasmaVMC's configured client against its wire fixture: the stand-in VmService mapping (a nested
// response path, "vm.spec") and /health.
import { test, expect } from '@playwright/test';
import { plasmavmcService } from '../../services/plasmavmc.ts';
import { startPlasmavmcWireFixture } from '../fixtures/grpc-fixtures/plasmavmc-wire-fixture.ts';
import { nodeSpec, shippedConfigs } from './service-test-helpers.ts';

test('put, get, delete and a missing key go over plasmavmc.v1.VmService; the value is read from "vm.spec"', async () => {
  const fixture = await startPlasmavmcWireFixture();
  const service = plasmavmcService(shippedConfigs().plasmavmc);
  const client = service.createClient();
  const at = { node: 'node-1', address: fixture.address };
  try {
    await client.attempt({ op: 'put', key: 'vm-1', value: 'cpu=2' }, at, 2000);
    expect(fixture.vms.get('vm-1')).toBe('cpu=2');
    expect(await client.attempt({ op: 'get', key: 'vm-1' }, at, 2000)).toBe('cpu=2');
    await client.attempt({ op: 'delete', key: 'vm-1' }, at, 2000);
    expect(await client.attempt({ op: 'get', key: 'vm-1' }, at, 2000)).toBeNull();
    expect(fixture.received.map((r) => [r.call, r.request])).toEqual([
      ['plasmavmc.v1.VmService/CreateVm', { name: 'vm-1', spec: 'cpu=2' }],
      ['plasmavmc.v1.VmService/GetVm', { name: 'vm-1' }],
      ['plasmavmc.v1.VmService/DeleteVm', { name: 'vm-1' }],
      ['plasmavmc.v1.VmService/GetVm', { name: 'vm-1' }],
    ]);
    expect((await service.probe(nodeSpec(1, { api: fixture.port, http: fixture.httpPort }))).ready).toBe(true);
  } finally {
    client.close();
    await fixture.stop();
  }
});
