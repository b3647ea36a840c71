import assert from 'node:assert/strict';
import {test} from 'node:test';
import {meetsExpectation} from '../../steps/checks.js';
import {describe as describeAction, inverse, rollbackOrder, type Action} from '../../source/actions.js';

const examples: Action[] = [
	{
		kind: 'network.create',
		network: 'dmz-net',
		subnet: '172.20.0.0/24',
		internal: false,
		driver: 'bridge',
		labels: {'managed-by': 'netmigrate'},
	},
	{kind: 'network.remove', network: 'old-net', subnet: '172.29.0.0/24', internal: true, driver: 'bridge', labels: {}},
	{kind: 'network.connect', network: 'dmz-net', container: 'traefik', service: 'traefik', aliases: ['traefik']},
	{
		kind: 'network.disconnect',
		network: 'media-network',
		container: 'media-web-1',
		service: 'web',
		aliases: ['web', 'media-web-1'],
		ipv4: '172.18.0.9',
	},
	{
		kind: 'file.write',
		path: '/srv/a.yml',
		mode: 0o640,
		sha256Before: 'b',
		sha256After: 'a',
		content: 'new',
		previous: 'old',
		reason: 'networks of web',
	},
	{kind: 'service.recreate', service: 'gluetun', dependents: ['qbittorrent'], reason: 'load FIREWALL_OUTBOUND_SUBNETS'},
	{
		kind: 'swarm.update',
		service: 'media_traefik',
		before: [{network: 'media-overlay', aliases: ['traefik']}],
		after: [
			{network: 'media-overlay', aliases: ['traefik']},
			{network: 'dmz-net', aliases: ['traefik']},
		],
		order: 'start-first',
		orderReason: 'no mounts',
	},
	{
		kind: 'swarm.env',
		service: 'media_jellyfin',
		variable: 'TRUSTED_PROXIES',
		before: '10.231.0.0/24',
		after: '10.231.0.0/24,10.231.11.0/24',
		order: 'start-first',
		orderReason: 'no mounts',
	},
	{
		kind: 'swarm.env',
		service: 'media_jellyfin',
		variable: 'TRUSTED_PROXIES',
		after: '10.231.11.0/24',
		order: 'stop-first',
		orderReason: '1 mount two tasks would share',
	},
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
		'swarm.update → swarm.update',
		'swarm.env → swarm.env',
		'swarm.env → swarm.env',
	]);
	for (const action of examples) {
		const twice = inverse(inverse(action));
		if (action.kind === 'file.write' || action.kind === 'service.recreate') {
			assert.deepEqual({...twice, reason: ''}, {...action, reason: ''});
		} else assert.deepEqual(twice, action);
	}
	const back = inverse(examples[6] as Action);
	assert.ok(
		back.kind === 'swarm.update' && back.after.length === 1 && back.before.length === 2,
		'the inverse sets the recorded networks again',
	);
	const restore = inverse(examples[4] as Action);
	assert.ok(restore.kind === 'file.write' && restore.content === 'old' && restore.sha256After === 'b' && restore.mode === 0o640);
});

test("actions read as one line in the operator's words", () => {
	assert.deepEqual(
		examples.map((action) => describeAction(action)),
		[
			'create network dmz-net (172.20.0.0/24)',
			'remove network old-net (172.29.0.0/24)',
			'connect traefik to dmz-net as traefik',
			'disconnect media-web-1 from media-network',
			'write /srv/a.yml (networks of web)',
			'recreate gluetun → qbittorrent (load FIREWALL_OUTBOUND_SUBNETS)',
			'update swarm service media_traefik: + dmz-net (start-first: no mounts)',
			'update swarm service media_jellyfin: TRUSTED_PROXIES += 10.231.11.0/24 (start-first: no mounts)',
			'update swarm service media_jellyfin: TRUSTED_PROXIES = 10.231.11.0/24 (stop-first: 1 mount two tasks would share)',
		],
	);
});

test('a swarm env update is undone by setting the value it replaced, and one that added the variable by removing it', () => {
	const back = inverse(examples[7] as Action);
	assert.deepEqual(back, {
		kind: 'swarm.env',
		service: 'media_jellyfin',
		variable: 'TRUSTED_PROXIES',
		before: '10.231.0.0/24,10.231.11.0/24',
		after: '10.231.0.0/24',
		order: 'start-first',
		orderReason: 'no mounts',
	});
	assert.equal(describeAction(back), 'update swarm service media_jellyfin: TRUSTED_PROXIES -= 10.231.11.0/24 (start-first: no mounts)');
	const removal = inverse(examples[8] as Action);
	assert.ok(removal.kind === 'swarm.env' && removal.before === '10.231.11.0/24' && !('after' in removal), JSON.stringify(removal));
	assert.equal(
		describeAction(removal),
		'update swarm service media_jellyfin: TRUSTED_PROXIES removed (stop-first: 1 mount two tasks would share)',
	);
	// The journal holds actions as JSON: an absent value stays absent through it, and the inverse of the read-back action is the same.
	assert.deepEqual(inverse(JSON.parse(JSON.stringify(removal)) as Action), examples[8]);
	const edited: Action = {
		...(examples[7] as Action & {kind: 'swarm.env'}),
		before: '10.231.0.0/24, 192.168.1.0/24',
		after: '10.231.0.0/24, 10.231.11.0/24',
	};
	assert.equal(
		describeAction(edited),
		'update swarm service media_jellyfin: TRUSTED_PROXIES += 10.231.11.0/24, TRUSTED_PROXIES -= 192.168.1.0/24 (start-first: no mounts)',
		'a dropped entry is said, never hidden',
	);
	assert.deepEqual(
		rollbackOrder([inverse(examples[7] as Action), inverse(examples[4] as Action)]).map((action) => action.kind),
		['file.write', 'swarm.env'],
		'the stack file is restored first, as with the networks',
	);
});

test('isolation is judged on the network: an open port fails `expect: blocked` whatever HTTP answers', () => {
	assert.equal(meetsExpectation('blocked', {connected: true, httpStatus: 403}), false, 'a 403 from an open port is not isolation');
	assert.equal(meetsExpectation('blocked', {connected: true, httpStatus: 502}), false);
	assert.equal(meetsExpectation('blocked', {connected: true}), false);
	assert.equal(meetsExpectation('blocked', {connected: false}), true);
	assert.equal(meetsExpectation('reachable', {connected: true, httpStatus: 200}), true);
	assert.equal(meetsExpectation('reachable', {connected: true, httpStatus: 403}), false, "a firewall's 403 is not a working path");
	assert.equal(meetsExpectation('reachable', {connected: true}), true, 'an open TCP port that speaks no HTTP');
	assert.equal(meetsExpectation('reachable', {connected: false}), false);
});

test('a rollback applies inverses in an order that works: files, live network changes newest first, each recreate once, then removals', () => {
	const write = (path: string, from: string, to: string): Action => ({
		kind: 'file.write',
		path,
		mode: 0o644,
		sha256Before: from,
		sha256After: to,
		content: to,
		previous: from,
		reason: path,
	});
	const applied: Action[] = [
		{kind: 'network.create', network: 'dmz-net', subnet: '172.20.0.0/24', internal: false, driver: 'bridge', labels: {}},
		{kind: 'network.connect', network: 'dmz-net', container: 'traefik', service: 'traefik', aliases: ['traefik']},
		{kind: 'network.connect', network: 'dmz-net', container: 'jellyfin', service: 'jellyfin', aliases: ['jellyfin']},
		write('a.yml', 'a0', 'a1'),
		write('.env', 'e0', 'e1'),
		{kind: 'service.recreate', service: 'gluetun', dependents: ['qbittorrent'], reason: 'load FIREWALL_OUTBOUND_SUBNETS'},
		write('a.yml', 'a1', 'a2'),
		{kind: 'service.recreate', service: 'gluetun', dependents: ['qbittorrent'], reason: 'again'},
	];
	const undo = rollbackOrder(applied.map(inverse).reverse());
	assert.deepEqual(
		undo.map((action) => describeAction(action)),
		[
			'write a.yml (restore a.yml)',
			'write .env (restore .env)',
			'write a.yml (restore a.yml)',
			'disconnect jellyfin from dmz-net',
			'disconnect traefik from dmz-net',
			'recreate gluetun → qbittorrent (back to the restored definition (load FIREWALL_OUTBOUND_SUBNETS))',
			'remove network dmz-net (172.20.0.0/24)',
		],
	);
	const restores = undo.filter((action) => action.kind === 'file.write');
	assert.deepEqual(
		restores.map((action) => `${action.sha256Before}→${action.sha256After}`),
		['a2→a1', 'e1→e0', 'a1→a0'],
		'each write undone from what netmigrate wrote to what it replaced',
	);
});
