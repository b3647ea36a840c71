/**
 * The network map: its model (joined, left, kept; followers under their owner; egress), and its
 * renderers — text that fits 80 columns however many networks, JSON of a stable shape, and a
 * Mermaid flowchart whose ids Mermaid accepts whatever the networks are called.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import type {Discovered} from '../../source/domain.js';
import type {IntendedStack} from '../../source/plan/intent.js';
import {loadPlan} from '../../source/plan/load.js';
import {networkMap, plannedMap, runningStack} from '../../source/plan/map.js';
import {mapJson, renderMapMermaid, renderMapText} from '../../source/plan/map-render.js';
import {exampleStack} from '../harness/engine.js';

const example = loadPlan(path.join(exampleStack, 'netmigrate.yml'));

test("the map after iteration 1: every service keeps media-network and joins its tiers; gluetun's follower sits under it", () => {
	const map = plannedMap(example.project, example.plan, 0);
	const sonarr = map.rows.find((row) => row.owner === 'sonarr');
	const cells = Object.fromEntries(map.networks.map((network, index) => [network.name, sonarr?.cells[index]]));
	assert.deepEqual(cells, {
		'media-network': 'kept',
		'dmz-net': 'absent',
		'frontend-net': 'absent',
		'backend-net': 'joined',
		'download-net': 'joined',
		'mgmt-net': 'absent',
		'security-net': 'absent',
	});
	const lines = renderMapText(map);
	const gluetun = lines.findIndex((line) => line.startsWith('gluetun '));
	assert.equal(lines[gluetun + 1], '  ^ qbittorrent');
	assert.match(lines.find((line) => line.startsWith('traefik ')) ?? '', /^traefik +o\* \+  \+  \+        \+$/);
	assert.ok(lines.includes('C  frontend-net   172.20.1.0/24       new, internal'));
	assert.match(lines[1] ?? '', /compose files \(no engine consulted\)/);
});

test('after retire-legacy the map shows media-network left by all, egress moved, and who has no way out', () => {
	const text = renderMapText(plannedMap(example.project, example.plan, 2)).join('\n');
	assert.match(text, /^cloudflared +- +\+\*$/m);
	assert.match(text, /^Egress media-network -> dmz-net: traefik, cloudflared$/m);
	assert.match(text, /^No way to the internet \(internal networks only\): jellyfin, jellyseerr, web-ui,$/m);
});

function wideStack(networks: number): IntendedStack {
	const names = Array.from({length: networks}, (_, index) => `app-${index}.net`);
	return {
		iteration: 0,
		networks: names.map((name) => ({name, internal: true, planned: true})),
		namespaces: names.map((name, index) => ({
			owner: `service-with-a-rather-long-name-${index}`,
			followers: [],
			networks: [name, names[0] as string],
			internalOnly: true,
		})),
	};
}

test('forty networks still fit 80 columns: the columns page, each page under its own header', () => {
	const stack = wideStack(40);
	const lines = renderMapText(
		networkMap({...stack, iteration: -1, namespaces: []}, stack, {project: 'wide', legacy: 'none', source: 'compose-files'}),
	);
	assert.deepEqual(
		lines.filter((line) => line.length > 80),
		[],
	);
	const pages = lines.filter((line) => /^networks [A-Z]+-[A-Z]+ \(\d\/\d\)$/.test(line));
	assert.ok(pages.length >= 2, `paged: ${pages.join(' | ')}`);
	assert.ok(
		lines.some((line) => line.startsWith('AN ') && line.includes('app-39.net')),
		'the 40th network is lettered AN in the legend',
	);
});

test('JSON: the documented shape, only the networks a namespace is on, iterations counted from 1', () => {
	const json = mapJson(plannedMap(example.project, example.plan, 0));
	assert.deepEqual(Object.keys(json), ['version', 'project', 'source', 'before', 'after', 'networks', 'namespaces']);
	assert.deepEqual(json.after, {iteration: 1, name: 'network-foundation'});
	assert.equal(json.before, null);
	assert.deepEqual(
		json.namespaces.find((namespace) => namespace.owner === 'gluetun'),
		{
			owner: 'gluetun',
			followers: ['qbittorrent'],
			networks: {'media-network': 'kept', 'download-net': 'joined'},
			egress: {before: 'media-network', after: 'media-network'},
			internet: true,
		},
	);
});

test('Mermaid: a flowchart whose ids are letters, digits and _ only, distinct even when names sanitise alike', () => {
	const stack: IntendedStack = {
		iteration: 0,
		networks: [
			{name: 'a-b', internal: false, planned: true},
			{name: 'a_b', internal: true, planned: true},
			{name: 'end', internal: false, planned: false},
		],
		namespaces: [{owner: 'my.app', followers: ['side "car"'], networks: ['a-b', 'a_b', 'end'], egressVia: 'a-b', internalOnly: false}],
	};
	const diagram = renderMapMermaid(
		networkMap(
			{...stack, iteration: -1, namespaces: [{...(stack.namespaces[0] as IntendedStack['namespaces'][number]), networks: ['end']}]},
			stack,
			{project: 'x', legacy: 'end', source: 'compose-files'},
		),
	);
	const lines = diagram.split('\n');
	assert.equal(lines[0], 'flowchart LR');
	const ids = lines.slice(1).flatMap((line) => /^ {2}([^\s[{(]+)[[{]/.exec(line)?.[1] ?? []);
	assert.deepEqual(ids, ['n_a_b', 'n_a_b_2', 'n_end', 's_my_app']);
	assert.ok(ids.every((id) => /^[A-Za-z0-9_]+$/.test(id)));
	assert.ok(lines.includes('  s_my_app["my.app<br/>+ side #quot;car#quot;"]'), 'quotes become Mermaid entities');
	assert.ok(lines.includes('  s_my_app -.->|joins, egress| n_a_b'));
	assert.ok(lines.includes('  s_my_app -.->|joins| n_a_b_2'));
	assert.ok(lines.includes('  s_my_app --> n_end'));
	assert.ok(lines.includes('  linkStyle 0,1 stroke:#2a2'));
	assert.ok(lines.includes('  n_a_b_2{{"a_b<br/>new, internal"}}:::internal'));
});

test("now from the running containers: a network attached by hand shows as one a service leaves, and the engine's default route is the egress", () => {
	const containers = new Map(
		[...example.project.services.keys()].map((name) => [
			name,
			[{name, networks: name === 'qbittorrent' ? [] : ['media-network'], running: true}],
		]),
	);
	containers.set('cloudflared', [{name: 'cloudflared', networks: ['media-network', 'frontend-net'], running: true}]);
	const discovered: Discovered = {
		source: 'engine',
		containers,
		networks: new Map([
			['frontend-net', {name: 'frontend-net', subnet: '172.20.1.0/24', internal: true, driver: 'bridge', labels: {}}],
		]),
	};
	const now = runningStack(example.project, example.plan, discovered, {traefik: 'media-network'});
	const map = plannedMap(example.project, example.plan, 0, now);
	assert.equal(map.source, 'engine');
	const cloudflared = map.rows.find((row) => row.owner === 'cloudflared');
	const frontend = map.networks.findIndex((network) => network.name === 'frontend-net');
	assert.equal(cloudflared?.cells[frontend], 'left', 'the plan does not give cloudflared frontend-net');
	assert.match(renderMapText(map)[1] ?? '', /running containers/);
});
