/**
 * The intended stack: who is on which network after iteration k, as the compose files and the
 * plan say — the model the network map draws and `verify` probes against. On the example stack
 * (a VPN namespace with a follower, three iterations ending in `detach: {all: …}`), on a stack
 * whose services rely on the project's default network, and on a per-app draft.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {loadComposeProject} from '../../source/compose/project.js';
import {draftPerAppPlan} from '../../source/plan/draft.js';
import {intendedPairs, intendedStack, pairReason, predictedEgress, type IntendedStack} from '../../source/plan/intent.js';
import {loadPlan, parsePlan} from '../../source/plan/load.js';
import {exampleStack} from '../harness/engine.js';

const example = loadPlan(path.join(exampleStack, 'netmigrate.yml'));
const on = (stack: IntendedStack, owner: string) => stack.namespaces.find((namespace) => namespace.owner === owner)?.networks;
const pair = (stack: IntendedStack, from: string, to: string) => intendedPairs(stack).find((item) => item.from === from && item.to === to);

test("a service in another's namespace is its owner's follower, not a namespace of its own: 17 namespaces, 272 ordered pairs", () => {
	const stack = intendedStack(example.project, example.plan, -1);
	assert.equal(stack.namespaces.length, 17);
	assert.deepEqual(stack.namespaces.find((namespace) => namespace.owner === 'gluetun')?.followers, ['qbittorrent']);
	assert.ok(!stack.namespaces.some((namespace) => namespace.owner === 'qbittorrent'));
	const pairs = intendedPairs(stack);
	assert.equal(pairs.length, 17 * 16);
	assert.ok(
		pairs.every((item) => item.from !== item.to && item.via.join() === 'media-network'),
		'today everyone shares the flat network',
	);
});

test('iteration 1 attaches beside the legacy network; retire-legacy (detach all) takes it from everyone', () => {
	const first = intendedStack(example.project, example.plan, 0);
	assert.deepEqual(on(first, 'sonarr'), ['media-network', 'backend-net', 'download-net']);
	assert.deepEqual(pair(first, 'cloudflared', 'jellyfin')?.via, ['media-network']);
	const last = intendedStack(example.project, example.plan, 2);
	assert.ok(last.namespaces.every((namespace) => !namespace.networks.includes('media-network')));
	assert.deepEqual(pair(last, 'cloudflared', 'jellyfin')?.via, []);
	assert.deepEqual(pair(last, 'sonarr', 'gluetun')?.via, ['download-net']);
	assert.equal(intendedPairs(last).filter((item) => item.via.length > 0).length, 124);
	// A later iteration than the plan has is its last.
	assert.deepEqual(intendedStack(example.project, example.plan, 9).namespaces, last.namespaces);
});

test('networks are marked internal and planned as the plan says; egress stays where it was while that network is there', () => {
	const first = intendedStack(example.project, example.plan, 0);
	assert.deepEqual(
		first.networks.find((network) => network.name === 'frontend-net'),
		{name: 'frontend-net', internal: true, subnet: '172.20.1.0/24', planned: true},
	);
	assert.deepEqual(first.networks[0], {name: 'media-network', internal: false, subnet: '172.18.0.0/16', planned: false});
	assert.equal(
		first.namespaces.find((namespace) => namespace.owner === 'traefik')?.egressVia,
		'media-network',
		'joining dmz-net (with gw_priority -1) leaves the route',
	);
	const last = intendedStack(example.project, example.plan, 2);
	const traefik = last.namespaces.find((namespace) => namespace.owner === 'traefik');
	assert.equal(traefik?.egressVia, 'dmz-net', 'the legacy network gone, the first way out by name');
	const jellyfin = last.namespaces.find((namespace) => namespace.owner === 'jellyfin');
	assert.equal(jellyfin?.egressVia, undefined);
	assert.equal(jellyfin?.internalOnly, true);
	// Before Engine 28 the first network by name wins at once.
	const engine26 = intendedStack(example.project, example.plan, 0, {keepsRoute: false});
	assert.equal(engine26.namespaces.find((namespace) => namespace.owner === 'traefik')?.egressVia, 'dmz-net');
	assert.equal(
		predictedEgress(['b', 'a'], (network) => network === 'a'),
		'b',
	);
});

/** The reason of the pair `from` → `to` after iteration `through`. */
function reasonOf(through: number, from: string, to: string): string {
	const found = pair(intendedStack(example.project, example.plan, through), from, to);
	assert.ok(found, `${from} → ${to}`);
	return pairReason(found, example.plan, through, example.project);
}

test('the reason names the network that joins a pair and the iteration that cuts it, or the one that opens it', () => {
	assert.equal(
		reasonOf(0, 'traefik', 'jellyfin'),
		'traefik reaches jellyfin over media-network (from the compose files), frontend-net (joined by iteration 1, network-foundation); no later iteration cuts it',
	);
	assert.equal(
		reasonOf(0, 'cloudflared', 'gluetun'),
		'cloudflared reaches gluetun (with qbittorrent) over media-network (from the compose files); iteration 3 (retire-legacy) cuts it',
	);
	assert.equal(
		reasonOf(2, 'cloudflared', 'sonarr'),
		'no network joins cloudflared (on dmz-net) and sonarr (on backend-net, download-net)',
	);
	assert.equal(
		reasonOf(-1, 'cloudflared', 'sonarr'),
		'cloudflared reaches sonarr over media-network (from the compose files); iteration 3 (retire-legacy) cuts it',
	);
});

function stackOnDisk(files: Record<string, string>): string {
	const root = mkdtempSync(path.join(tmpdir(), 'netmigrate-intent-'));
	for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
	return root;
}

test("a service with no networks: is on the project's default network; host networking and outside namespaces are no namespace of the stack", () => {
	const root = stackOnDisk({
		'docker-compose.yml': `name: home
services:
  # No networks: compose puts these on home_default.
  vpn:
    image: qmcgaw/gluetun
    container_name: vpn
    environment: {FIREWALL_OUTBOUND_SUBNETS: 172.30.0.0/16}
  torrent:
    image: lscr.io/linuxserver/qbittorrent
    network_mode: container:vpn
  web:
    image: nginx
    networks: [front]
  exporter:
    image: prom/node-exporter
    network_mode: host
  elsewhere:
    image: busybox
    network_mode: container:other-project-vpn
networks:
  front: {}
`,
		'netmigrate.yml': `version: 1
legacy: home_default
networks:
  web-net: {subnet: 172.30.1.0/24}
iterations:
  - name: split
    attach: {web: [web-net], vpn: [web-net]}
    detach: {vpn: [home_default]}
`,
	});
	const loaded = loadPlan(path.join(root, 'netmigrate.yml'));
	const today = intendedStack(loaded.project, loaded.plan, -1);
	assert.deepEqual(
		today.namespaces.map((namespace) => [namespace.owner, namespace.followers, namespace.networks]),
		[
			['vpn', ['torrent'], ['home_default']],
			['web', [], ['home_front']],
		],
	);
	assert.deepEqual(pair(today, 'vpn', 'web')?.via, []);
	const after = intendedStack(loaded.project, loaded.plan, 0);
	assert.deepEqual(on(after, 'vpn'), ['web-net']);
	assert.deepEqual(pair(after, 'web', 'vpn')?.via, ['web-net']);
	assert.deepEqual(
		after.networks.map((network) => network.name),
		['home_default', 'home_front', 'web-net'],
	);
});

test('a per-app draft: the *arr group shares its network with the VPN namespace, and the proxy reaches only the apps it routes', () => {
	const project = loadComposeProject(exampleStack, ['docker-compose.yml']);
	const draft = draftPerAppPlan({
		project,
		legacy: 'media-network',
		usedSubnets: ['172.18.0.0/16'],
		composeFiles: ['docker-compose.yml'],
		stackRoot: '.',
		groups: {arr: ['sonarr', 'radarr', 'prowlarr', 'qbittorrent']},
	});
	const {plan} = parsePlan(path.join(exampleStack, 'drafted.yml'), draft.text);
	const last = intendedStack(project, plan, plan.iterations.length - 1);
	assert.ok(
		last.namespaces.every((namespace) => !namespace.networks.includes('media-network') || namespace.networks.length === 1),
		'only those that must stay keep the legacy network alone',
	);
	assert.ok(pair(last, 'sonarr', 'gluetun')?.via.includes('arr-net'), 'sonarr reaches qbittorrent (in gluetun) over the group network');
	assert.ok(pair(last, 'traefik', 'jellyfin')?.via.includes('jellyfin-net'));
	assert.deepEqual(pair(last, 'jellyfin', 'cadvisor')?.via, [], 'two apps of their own share nothing');
});
