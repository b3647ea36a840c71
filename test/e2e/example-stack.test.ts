// engines: 26 28 — both: this is where the engines differ (gw_priority, compose's recreate rules)
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {runCompose, type ComposeProject} from '../../source/engine/compose.js';
import {copyExampleStack, stopTestEngine, testEngine, type TestEngine} from '../harness/engine.js';
import {Engine} from '../../source/engine/docker.js';

let engine: TestEngine;
let adapter: Engine;
let stack: ReturnType<typeof copyExampleStack>;
let project: ComposeProject;

before(async () => {
	engine = await testEngine();
	console.log(`# private engine: Docker ${engine.version} at ${engine.host}`);
	adapter = new Engine(engine.host);
	stack = copyExampleStack();
	project = {host: engine.host, directory: stack.root, files: ['docker-compose.yml']};
});

after(async () => {
	if (project) await runCompose(project, ['down', '--timeout', '1']).catch(() => undefined);
	stack?.remove();
	await stopTestEngine();
});

test('the example media stack comes up healthy on the private engine and traefik reaches jellyfin by name', async () => {
	await runCompose(project, ['up', '-d']);
	const containers = await adapter.waitUntilHealthy('media', 18, 60_000);
	assert.deepEqual(containers.map((c) => c.service).sort(), [
		'alertmanager',
		'autoheal',
		'bazarr',
		'cadvisor',
		'cloudflared',
		'dozzle',
		'gluetun',
		'grafana',
		'jellyfin',
		'jellyseerr',
		'node-exporter',
		'prometheus',
		'prowlarr',
		'qbittorrent',
		'radarr',
		'sonarr',
		'traefik',
		'web-ui',
	]);
	const withoutHealthcheck = containers
		.filter((c) => c.health === 'none')
		.map((c) => c.name)
		.sort();
	assert.deepEqual(withoutHealthcheck, ['cloudflared', 'qbittorrent']);

	const legacy = await engine.docker.getNetwork('media-network').inspect();
	assert.equal(legacy.IPAM?.Config?.[0]?.Subnet, '172.18.0.0/16');

	const reply = await adapter.exec('traefik', ['sh', '-c', 'timeout 5 wget -q -O - http://jellyfin:8096/']);
	assert.equal(reply.exitCode, 0, reply.output);
	assert.equal(reply.output.trim(), 'jellyfin');

	await runCompose(project, ['down', '--timeout', '1']);
	assert.equal((await engine.docker.listContainers({all: true})).length, 0);
});

test('the gluetun stand-in enforces FIREWALL_OUTBOUND_SUBNETS on the port qbittorrent serves', async () => {
	await runCompose(project, ['up', '-d']);
	await adapter.waitUntilHealthy('media', 18, 60_000);

	const fromLegacy = await adapter.exec('sonarr', ['sh', '-c', 'timeout 5 wget -q -O - http://gluetun:8080/']);
	assert.equal(fromLegacy.output.trim(), 'qbittorrent', 'a client on media-network (inside the allow-list) reaches qbittorrent');

	const outside = engine.docker.getNetwork(
		(await engine.docker.createNetwork({Name: 'outside-net', IPAM: {Config: [{Subnet: '172.20.9.0/24'}]}})).id,
	);
	await outside.connect({Container: 'gluetun'});
	await outside.connect({Container: 'sonarr'});
	const gluetun = await engine.docker.getContainer('gluetun').inspect();
	const address = gluetun.NetworkSettings.Networks['outside-net']?.IPAddress;
	const fromOutside = await adapter.exec('sonarr', ['sh', '-c', `timeout 5 wget -O - http://${address}:8080/ 2>&1`]);
	assert.notEqual(fromOutside.exitCode, 0);
	assert.match(fromOutside.output, /403 Forbidden/);

	await outside.disconnect({Container: 'gluetun'});
	await outside.disconnect({Container: 'sonarr'});
	await runCompose(project, ['down', '--timeout', '1']);
});
