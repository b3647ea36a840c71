import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {loadPlan} from '../../source/plan/load.js';
import {renderDryRun} from '../../source/plan/dryrun.js';
import {makeMasker, maskDiff} from '../../source/mask.js';
import {discoveredFromFiles} from '../../steps/context.js';
import {planIteration} from '../../steps/index.js';
import {exampleStack} from '../harness/engine.js';
import {treeHashes} from '../harness/stack.js';

test('the dry run lists actions per step and masked diffs, and changes nothing', () => {
	const before = treeHashes(exampleStack);
	const loaded = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
	const planned = planIteration(loaded.plan, 0, loaded.project, discoveredFromFiles());
	const text = renderDryRun(planned, loaded.project, loaded.plan, {source: 'the compose files'});
	assert.match(text, /^Iteration 1 of 3: network-foundation \(mode: live\)/);
	assert.match(text, /Create networks:\n {2}\+ create network dmz-net \(172\.20\.0\.0\/24\)/);
	assert.match(text, /\+ connect traefik to security-net as traefik/);
	assert.match(text, /\+ recreate gluetun → qbittorrent \(load FIREWALL_OUTBOUND_SUBNETS\)/);
	assert.match(text, /\+ {6}- FIREWALL_OUTBOUND_SUBNETS=172\.18\.0\.0\/16,192\.168\.1\.0\/24,172\.20\.0\.0\/16/, 'the allow-list being edited stays visible');
	for (const secret of ['wOEI9rqqbDwnN8', 'eyJhIjoiZmFrZS', '9b8a7c6d5e4f3a2b1c0d', 'mullvad']) assert.ok(!text.includes(secret), `${secret} is masked`);
	assert.match(text, /WIREGUARD_PRIVATE_KEY=\*\*\*\*/);
	assert.match(text, /TZ: \$\{TZ\}|TZ=\$\{TZ\}/, 'a ${VAR} reference is no secret');
	assert.deepEqual(treeHashes(exampleStack), before);
});

test('masking covers list, map and .env forms and leaves other lines alone', () => {
	const mask = makeMasker(new Set(['API_KEY', 'PASSWORD', 'FW']), new Set(['FW']));
	assert.equal(
		maskDiff(['+      - API_KEY=abc123', '-      PASSWORD: "hunter2"  # old', ' PASSWORD=x', '+      - FW=10.0.0.0/8', '       image: API_KEY'].join('\n'), mask),
		['+      - API_KEY=****', '-      PASSWORD: ****  # old', ' PASSWORD=****', '+      - FW=10.0.0.0/8', '       image: API_KEY'].join('\n'),
	);
});
