import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FactsBuilder, only, run } from './facts.js';
import { realIndicators } from './feeds.js';

/** TinyCheck's payload rules (its `snort` entries) evaluated on the first bytes of connections. */
describe('IOC-PAYLOAD', () => {
  const ind = realIndicators();

  it('fires on a Reptilicus device report on TCP 22222, naming the rule, at high', () => {
    assert.ok(ind.payloadRules.some((r) => r.msg.includes('Reptilicus')), 'the shared TinyCheck feed has the rule');
    const b = new FactsBuilder();
    const c = b.conn('203.0.113.9', 22222, { bytesToServer: 300 });
    b.facts.payloadHeads = [{ connection: b.facts.connections.indexOf(c), toServer: Buffer.from('device_id=8f3a&lat=48.85&lon=2.35').toString('base64'), toClient: null }];
    const f = only(run(b, ind), 'IOC-PAYLOAD');
    assert.equal(f.length, 1);
    assert.equal(f[0].level, 'high');
    assert.match(String(f[0].params.msg), /Reptilicus/);
    assert.equal(f[0].params.direction, 'to-server');
    assert.equal(f[0].indicator?.kind, 'payload-rule');
    assert.equal(f[0].evidence[0].kind, 'payload');
  });

  it('respects the port, the offset/depth window and the direction', () => {
    const cases: Array<[number, string, boolean]> = [
      [22223, 'device_id=1', true], // another port
      [22222, 'xxdevice_id=1', true], // outside depth 10 at offset 0
      [22222, 'device_id=1', false], // sent by the server, not the phone
    ];
    for (const [port, text, toServer] of cases) {
      const b = new FactsBuilder();
      const c = b.conn('203.0.113.9', port);
      const head = Buffer.from(text).toString('base64');
      b.facts.payloadHeads = [{ connection: b.facts.connections.indexOf(c), toServer: toServer ? head : null, toClient: toServer ? null : head }];
      assert.deepEqual(only(run(b, ind), 'IOC-PAYLOAD'), [], `${port} ${text} ${toServer}`);
    }
  });

  it('needs payload heads: facts without them give no payload finding', () => {
    const b = new FactsBuilder();
    b.conn('203.0.113.9', 22222);
    assert.deepEqual(only(run(b, ind), 'IOC-PAYLOAD'), []);
  });
});
