/**
 * Settle's plan: the services compose would recreate, in the order compose starts them (a
 * dependency and a namespace owner first), an owner together with the services in its
 * namespace, and without --no-deps so compose labels each container as `up -d` would.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {loadComposeProject} from '../../source/compose/project.js';
import {staleServices} from '../../source/engine/staleness.js';
import {planSettle, startOrder} from '../../steps/settle.js';

const folder = mkdtempSync(path.join(tmpdir(), 'nm-settle-'));
after(() => rmSync(folder, {recursive: true, force: true}));
writeFileSync(
	path.join(folder, 'docker-compose.yml'),
	[
		'name: media',
		'services:',
		'  jellyseerr: {image: busybox, depends_on: [jellyfin]}',
		'  qbittorrent: {image: busybox, network_mode: "service:gluetun", depends_on: {gluetun: {condition: service_healthy}}}',
		'  jellyfin: {image: busybox}',
		'  gluetun: {image: busybox}',
		'  grafana: {image: busybox, depends_on: [prometheus]}',
		'  prometheus: {image: busybox}',
		'',
	].join('\n'),
);
const model = loadComposeProject(folder, ['docker-compose.yml']);
const all = new Set(model.services.keys());

test("start order: every dependency and namespace owner before what needs it, else the files' order", () => {
	assert.deepEqual(startOrder(model), ['jellyfin', 'jellyseerr', 'gluetun', 'qbittorrent', 'prometheus', 'grafana']);
});

test('stale services are the services of the containers compose would recreate', () => {
	const containers = [{name: 'media-jellyfin-1', service: 'jellyfin'}, {name: 'seerr', service: 'jellyseerr'}, {name: 'other'}];
	assert.deepEqual(staleServices(['seerr', 'media-jellyfin-1', 'other'], containers), ['jellyfin', 'jellyseerr']);
});

test('a stale namespace owner is recreated with the services in its namespace; a follower alone when its owner is settled', () => {
	const withOwner = planSettle(model, ['qbittorrent', 'gluetun', 'grafana'], all);
	assert.deepEqual(
		withOwner.map((action) => [action.service, action.dependents]),
		[
			['gluetun', ['qbittorrent']],
			['grafana', []],
		],
	);
	assert.ok(
		withOwner.every((action) => action.withDependencies === true),
		'compose sees depends_on, so its label is the hash up -d computes',
	);
	assert.match(withOwner[0]?.reason ?? '', /changed gluetun, qbittorrent since they were created/);
	const followerOnly = planSettle(model, ['qbittorrent'], all);
	assert.deepEqual(
		followerOnly.map((action) => [action.service, action.dependents]),
		[['qbittorrent', []]],
	);
});

test('dependencies are settled before their dependents, whatever order compose reported them in', () => {
	assert.deepEqual(
		planSettle(model, ['grafana', 'jellyseerr', 'prometheus', 'jellyfin'], all).map((action) => action.service),
		['jellyfin', 'jellyseerr', 'prometheus', 'grafana'],
	);
});

test('a follower without a container is not recreated with its owner (up -d would create it, not settle it)', () => {
	const plan = planSettle(model, ['gluetun'], new Set(['gluetun']));
	assert.deepEqual(
		plan.map((action) => [action.service, action.dependents]),
		[['gluetun', []]],
	);
});
