/**
 * The catalog's rows (source/plan/catalog/*): grown in issue 23 toward the images self-hosters
 * run, split by part of a homelab. Each repository names one entry (two rows claiming one image
 * would make the first silently win), every tier is a built-in one, and the images people run
 * most resolve to the entry and port their documentation gives.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {builtinTiers, catalog} from '../../source/plan/catalog.js';
import {identify} from '../../source/plan/images.js';

test('a repository names one entry, except where a word of the command tells two apart', () => {
	const owners = new Map<string, string[]>();
	for (const entry of catalog)
		for (const image of entry.images)
			owners.set(image, [...(owners.get(image) ?? []), `${entry.id}${entry.command ? ` (${entry.command})` : ''}`]);
	const shared = [...owners].filter(([, ids]) => ids.length > 1 && !ids.every((id) => id.includes('(')));
	assert.deepEqual(shared, []);
	const ids = catalog.map((entry) => entry.id);
	assert.deepEqual(
		ids.filter((id, index) => ids.indexOf(id) !== index),
		[],
	);
});

test('every entry joins built-in tiers only, and says why', () => {
	for (const entry of catalog) {
		assert.ok(entry.reason.length > 10, entry.id);
		for (const tier of entry.tiers) assert.ok(tier in builtinTiers, `${entry.id}: ${tier}`);
	}
});

test('images self-hosters run resolve to their entry and default port', () => {
	const cases: Array<[string, string, number | undefined]> = [
		['lscr.io/linuxserver/freshrss:1.26.1', 'freshrss', 80],
		['lscr.io/linuxserver/bookstack:25.02.3', 'bookstack', 80],
		['ghcr.io/mealie-recipes/mealie:v2.8.0', 'mealie', 9000],
		['gitea/gitea:1.23.7', 'gitea', 3000],
		['stirlingtools/stirling-pdf:0.46.2', 'stirling-pdf', 8080],
		['sissbruecker/linkding:1.39.1', 'linkding', 9090],
		['actualbudget/actual-server:25.4.0', 'actual', 5006],
		['ghcr.io/dgtlmoon/changedetection.io:0.49.15', 'changedetection', 5000],
		['tecnativa/docker-socket-proxy:0.3.0', 'socket-proxy', 2375],
		['lscr.io/linuxserver/socket-proxy:3.0.9', 'socket-proxy', 2375],
		['lscr.io/linuxserver/nzbhydra2:7.13.2', 'nzbhydra2', 5076],
		['lscr.io/linuxserver/healthchecks:3.9', 'healthchecks', 8000],
		['nginxproxy/nginx-proxy:1.7', 'nginx-proxy', 80],
		['jwilder/nginx-proxy:latest', 'nginx-proxy', 80],
		['ollama/ollama:0.6.5', 'ollama', 11434],
		['ghcr.io/open-webui/open-webui:main', 'open-webui', 8080],
		['nicolargo/glances:4.3.1', 'glances', 61208],
		['docker.io/library/elasticsearch:8.17.4', 'elasticsearch', 9200],
	];
	for (const [image, id, port] of cases) {
		const entry = identify({name: 'x', image})?.entry;
		assert.equal(entry?.id, id, image);
		assert.equal(entry?.ports[0], port, `${image} listens on ${port}`);
	}
});

test('a database image joins no tier of its own: it follows its users', () => {
	for (const image of ['influxdb:2.7', 'getmeili/meilisearch:v1.14', 'memcached:1.6', 'minio/minio:latest']) {
		const entry = identify({name: 'x', image})?.entry;
		assert.equal(entry?.role, 'database', image);
		assert.deepEqual(entry?.tiers, [], image);
	}
});
