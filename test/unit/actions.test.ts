import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describe as describeAction, inverse, type Action} from '../../source/actions.js';

const examples: Action[] = [
	{kind: 'network.create', network: 'dmz-net', subnet: '172.20.0.0/24', internal: false, driver: 'bridge', labels: {'managed-by': 'netmigrate'}},
	{kind: 'network.remove', network: 'old-net', subnet: '172.29.0.0/24', internal: true, driver: 'bridge', labels: {}},
	{kind: 'network.connect', network: 'dmz-net', container: 'traefik', service: 'traefik', aliases: ['traefik']},
	{kind: 'network.disconnect', network: 'media-network', container: 'media-web-1', service: 'web', aliases: ['web', 'media-web-1'], ipv4: '172.18.0.9'},
	{kind: 'file.write', path: '/srv/a.yml', mode: 0o640, sha256Before: 'b', sha256After: 'a', content: 'new', previous: 'old', reason: 'networks of web'},
	{kind: 'service.recreate', service: 'gluetun', dependents: ['qbittorrent'], reason: 'load FIREWALL_OUTBOUND_SUBNETS'},
];

test('each action kind has an inverse that undoes it, and inverting twice gives the action back', () => {
	const kinds = examples.map((action) => `${action.kind} → ${inverse(action).kind}`);
	assert.deepEqual(kinds, [
		'network.create → network.remove',
		'network.remove → network.create',
		'network.connect → network.disconnect',
		'network.disconnect → network.connect',
		'file.write → file.write',
		'service.recreate → service.recreate',
	]);
	for (const action of examples) {
		const twice = inverse(inverse(action));
		if (action.kind === 'file.write' || action.kind === 'service.recreate') {
			assert.deepEqual({...twice, reason: ''}, {...action, reason: ''});
		} else assert.deepEqual(twice, action);
	}
	const restore = inverse(examples[4] as Action);
	assert.ok(restore.kind === 'file.write' && restore.content === 'old' && restore.sha256After === 'b' && restore.mode === 0o640);
});

test('actions read as one line in the operator\'s words', () => {
	assert.deepEqual(examples.map((action) => describeAction(action)), [
		'create network dmz-net (172.20.0.0/24)',
		'remove network old-net (172.29.0.0/24)',
		'connect traefik to dmz-net as traefik',
		'disconnect media-web-1 from media-network',
		'write /srv/a.yml (networks of web)',
		'recreate gluetun → qbittorrent (load FIREWALL_OUTBOUND_SUBNETS)',
	]);
});
