/**
 * The engine's picture after planned actions, one test per action kind: what `plan --iteration N`
 * assumes the earlier iterations leave behind. Pure, so the picture it was given stays as it was.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Action} from '../../source/actions.js';
import type {ComposeModel} from '../../source/compose/project.js';
import type {Discovered, NetworkSpec} from '../../source/domain.js';
import {simulate} from '../../source/plan/simulate.js';

const legacy: NetworkSpec = {name: 'media-network', subnet: '172.18.0.0/16', internal: false, driver: 'bridge', labels: {}};

function picture(): Discovered {
	return {
		source: 'engine',
		apiVersion: '1.45',
		networks: new Map([['media-network', legacy]]),
		containers: new Map([
			['traefik', [{name: 'traefik', networks: ['media-network'], running: true}]],
			['sonarr', [{name: 'media-sonarr-1', networks: ['media-network'], running: true}]],
		]),
	};
}

const membership = (discovered: Discovered) =>
	Object.fromEntries(
		[...discovered.containers].map(([service, containers]) => [service, containers.map((container) => container.networks)]),
	);

test('simulate: network.create adds the network with its settings', () => {
	const action: Action = {
		kind: 'network.create',
		network: 'dmz-net',
		subnet: '172.20.0.0/24',
		internal: false,
		driver: 'bridge',
		labels: {'managed-by': 'netmigrate'},
	};
	const after = simulate(picture(), [action]);
	assert.deepEqual(after.networks.get('dmz-net'), {
		name: 'dmz-net',
		subnet: '172.20.0.0/24',
		internal: false,
		driver: 'bridge',
		labels: {'managed-by': 'netmigrate'},
	});
	assert.deepEqual([...after.networks.keys()], ['media-network', 'dmz-net']);
});

test('simulate: network.remove takes the network away', () => {
	const after = simulate(picture(), [{kind: 'network.remove', network: 'media-network', ...legacy}]);
	assert.deepEqual([...after.networks.keys()], []);
});

test('simulate: network.connect puts the named container on the network once; a container the picture does not hold is left to the files', () => {
	const connect: Action = {
		kind: 'network.connect',
		network: 'backend-net',
		container: 'media-sonarr-1',
		service: 'sonarr',
		aliases: ['sonarr', 'media-sonarr-1'],
	};
	const stranger: Action = {
		kind: 'network.connect',
		network: 'backend-net',
		container: 'media-radarr-1',
		service: 'radarr',
		aliases: ['radarr'],
	};
	const after = simulate(picture(), [connect, connect, stranger]);
	assert.deepEqual(membership(after), {traefik: [['media-network']], sonarr: [['media-network', 'backend-net']]});
	assert.equal(after.containers.has('radarr'), false, 'a dry run from the files knows radarr only from its compose file');
});

test('simulate: network.disconnect takes the named container off the network', () => {
	const after = simulate(picture(), [
		{kind: 'network.disconnect', network: 'media-network', container: 'traefik', service: 'traefik', aliases: ['traefik']},
	]);
	assert.deepEqual(membership(after), {traefik: [[]], sonarr: [['media-network']]});
});

test('simulate: file.write leaves the picture as it is (the files travel beside it)', () => {
	const write: Action = {
		kind: 'file.write',
		path: '/srv/media/docker-compose.yml',
		mode: 0o644,
		sha256Before: 'a',
		sha256After: 'b',
		content: 'new',
		previous: 'old',
		reason: 'networks of traefik',
	};
	const after = simulate(picture(), [write]);
	assert.deepEqual(membership(after), membership(picture()));
	assert.deepEqual([...after.networks.keys()], ['media-network']);
});

test('simulate: service.recreate brings the containers back on the networks their files name', () => {
	const files = {
		services: new Map([['sonarr', {networks: ['media-network', 'backend-net', 'download-net']}]]),
	} as unknown as ComposeModel;
	const recreate: Action = {kind: 'service.recreate', service: 'sonarr', dependents: [], reason: 'join backend-net, download-net'};
	assert.deepEqual(membership(simulate(picture(), [recreate], files)).sonarr, [['media-network', 'backend-net', 'download-net']]);
	assert.deepEqual(membership(simulate(picture(), [recreate])).sonarr, [['media-network']], 'without the files, it keeps what it had');
});

test('simulate: swarm.update gives the service its new networks and aliases, and its tasks follow', () => {
	const swarm: Discovered = {
		...picture(),
		containers: new Map([['traefik', [{name: 'media_traefik.1.abc', networks: ['media-network', 'ingress'], running: true}]]]),
		swarm: new Map([
			[
				'traefik',
				{
					id: 's1',
					name: 'media_traefik',
					version: 7,
					networks: [{network: 'media-network', aliases: ['traefik']}],
					env: [],
					replicas: 1,
					mounts: 0,
				},
			],
		]),
	};
	const update: Action = {
		kind: 'swarm.update',
		service: 'media_traefik',
		before: [{network: 'media-network', aliases: ['traefik']}],
		after: [{network: 'dmz-net', aliases: ['traefik']}],
		order: 'start-first',
		orderReason: 'no mounts',
	};
	const after = simulate(swarm, [update]);
	assert.deepEqual(after.swarm?.get('traefik')?.networks, [{network: 'dmz-net', aliases: ['traefik']}]);
	assert.deepEqual(
		membership(after),
		{traefik: [['ingress', 'dmz-net']]},
		'it leaves what the update drops, keeps what the spec does not manage',
	);
	assert.deepEqual(
		swarm.swarm?.get('traefik')?.networks,
		[{network: 'media-network', aliases: ['traefik']}],
		'the given picture is unchanged',
	);
});

test("simulate: swarm.env sets the variable in the service's environment, in its place", () => {
	const swarm: Discovered = {
		...picture(),
		swarm: new Map([
			[
				'jellyfin',
				{
					id: 's2',
					name: 'media_jellyfin',
					version: 3,
					networks: [],
					env: ['TZ=Europe/Berlin', 'TRUSTED_PROXIES=10.231.0.0/24', 'A=1'],
					replicas: 1,
					mounts: 0,
				},
			],
		]),
	};
	const update: Action = {
		kind: 'swarm.env',
		service: 'media_jellyfin',
		variable: 'TRUSTED_PROXIES',
		before: '10.231.0.0/24',
		after: '10.231.0.0/24,10.231.11.0/24',
		order: 'start-first',
		orderReason: 'no mounts',
	};
	assert.deepEqual(simulate(swarm, [update]).swarm?.get('jellyfin')?.env, [
		'TZ=Europe/Berlin',
		'TRUSTED_PROXIES=10.231.0.0/24,10.231.11.0/24',
		'A=1',
	]);
	assert.deepEqual(
		swarm.swarm?.get('jellyfin')?.env,
		['TZ=Europe/Berlin', 'TRUSTED_PROXIES=10.231.0.0/24', 'A=1'],
		'the given picture is unchanged',
	);
});

test('simulate changes nothing of the picture it is given', () => {
	const given = picture();
	simulate(given, [
		{kind: 'network.create', network: 'dmz-net', subnet: '172.20.0.0/24', internal: false, driver: 'bridge', labels: {}},
		{kind: 'network.connect', network: 'dmz-net', container: 'traefik', service: 'traefik', aliases: ['traefik']},
		{kind: 'network.disconnect', network: 'media-network', container: 'media-sonarr-1', service: 'sonarr', aliases: ['sonarr']},
	]);
	assert.deepEqual(given, picture());
});
