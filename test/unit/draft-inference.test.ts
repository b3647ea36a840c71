/**
 * Classifying what the catalog does not know, from what the stack says (issue 23): routed by
 * the proxy → frontend, published on loopback only → mgmt, a database or cache → the tier of
 * the services that use it (by `depends_on` or a variable naming it as a host). Each rule's
 * reason is in the draft's comments; a secret in a connection URL never is.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, test} from 'node:test';
import {draftTieredPlan} from '../../source/plan/draft.js';
import {namedHost} from '../../source/plan/inference.js';
import {parsePlan} from '../../source/plan/load.js';
import {validatePlan} from '../../source/plan/validate.js';
import {project} from '../harness/edit.js';

function draft(compose: string[], env = '') {
	const model = project({'docker-compose.yml': [...compose, 'networks:', '  lan: {name: lan}', ''].join('\n'), '.env': env});
	const result = draftTieredPlan({project: model, legacy: 'lan', usedSubnets: [], composeFiles: ['docker-compose.yml'], stackRoot: '.'});
	const {plan, locate} = parsePlan(path.join(model.root, 'drafted.yml'), result.text);
	assert.deepEqual(validatePlan(plan, model, locate), [], 'the draft validates');
	const attach = plan.iterations[0]?.attach ?? {};
	return {
		result,
		attach,
		comment: (service: string) => result.text.split('\n').find((line) => new RegExp(`^#   ${service} `).test(line)) ?? '',
	};
}

const service = (name: string, image: string, ...lines: string[]) => [
	`  ${name}:`,
	`    image: ${image}`,
	'    networks: [lan]',
	...lines.map((line) => `    ${line}`),
];

describe('routed by the reverse proxy → user-facing', () => {
	test("Traefik labels, caddy labels and nginx-proxy's VIRTUAL_HOST each make an unknown app frontend, and say so", () => {
		const {result, attach, comment} = draft([
			'services:',
			...service('traefik', 'traefik:v3.3'),
			...service('wiki', 'example/team-wiki:2', 'labels: [traefik.enable=true, "traefik.http.routers.wiki.rule=Host(`wiki.lan`)"]'),
			...service('board', 'example/board:1', 'labels: {caddy: board.lan, caddy.reverse_proxy: "{{upstreams 8080}}"}'),
			...service('notes', 'example/notes:3', 'environment: [VIRTUAL_HOST=notes.lan]'),
		]);
		assert.deepEqual(result.unclassified, []);
		for (const name of ['wiki', 'board', 'notes']) assert.deepEqual(attach[name], ['frontend-net'], name);
		assert.match(comment('wiki'), /frontend-net — routed by the reverse proxy \(Traefik labels\): user-facing/);
		assert.match(comment('board'), /\(caddy labels\)/);
		assert.match(comment('notes'), /\(nginx-proxy's VIRTUAL_HOST\)/);
	});

	test('traefik.enable=false routes nothing: the app stays unclassified', () => {
		const {result} = draft([
			'services:',
			...service('traefik', 'traefik:v3.3'),
			...service('wiki', 'example/team-wiki:2', 'labels: [traefik.enable=false]'),
		]);
		assert.deepEqual(result.unclassified, ['wiki']);
	});

	test('nginx-proxy joins the tier of what it routes by VIRTUAL_HOST', () => {
		const {attach} = draft([
			'services:',
			...service('proxy', 'nginxproxy/nginx-proxy:1.7'),
			...service('notes', 'example/notes:3', 'environment: {VIRTUAL_HOST: notes.lan}'),
		]);
		assert.deepEqual(attach.proxy, ['dmz-net', 'frontend-net']);
	});
});

describe("published on loopback only → the operator's", () => {
	test('every port on 127.0.0.1 or ::1, written with variables too, is mgmt; one LAN port is not', () => {
		const {result, attach, comment} = draft(
			[
				'services:',
				...service('admin', 'example/admin-ui:1', 'ports: ["127.0.0.1:9999:8080"]'),
				...service('stats', 'example/stats:1', 'ports: ["${LOOPBACK}:${STATS_PORT}:61208", "[::1]:61209:61209"]'),
				...service('mixed', 'example/mixed:1', 'ports: ["127.0.0.1:7000:7000", "7001:7001"]'),
			],
			'LOOPBACK=127.0.0.1\nSTATS_PORT=61208\n',
		);
		assert.deepEqual(attach.admin, ['mgmt-net']);
		assert.deepEqual(attach.stats, ['mgmt-net']);
		assert.match(comment('admin'), /mgmt-net — published on 127\.0\.0\.1 only: reached from the host alone/);
		assert.deepEqual(result.unclassified, ['mixed']);
	});
});

describe('a database or cache follows the services that use it', () => {
	test('found by a variable naming it as a host, the why names the variable but never its value', () => {
		const {attach, comment} = draft([
			'services:',
			...service('traefik', 'traefik:v3.3'),
			...service(
				'app',
				'example/app:1',
				'labels: [traefik.enable=true]',
				'environment:',
				'  DATABASE_URL: postgres://app:s3cr3t-pw@app-db:5432/app',
				'  CACHE_HOST: app-cache',
			),
			...service('app-db', 'postgres:16'),
			...service('app-cache', 'redis:7'),
		]);
		assert.deepEqual(attach.app, ['frontend-net', 'backend-net']);
		assert.deepEqual(attach['app-db'], ['backend-net']);
		assert.deepEqual(attach['app-cache'], ['backend-net']);
		assert.match(comment('app-db'), /used by app \(its DATABASE_URL names it\)/);
		assert.match(comment('app-cache'), /used by app \(its CACHE_HOST names it\)/);
		assert.doesNotMatch(comment('app-db'), /s3cr3t/);
	});

	test('a database whose only user is unclassified stays beside it on the legacy network', () => {
		const {result} = draft([
			'services:',
			...service('app', 'example/app:1', 'environment: [DB_HOST=app-db]'),
			...service('app-db', 'mariadb:11'),
		]);
		assert.deepEqual(result.unclassified, ['app', 'app-db']);
	});

	test('the host a value names: URLs with credentials, host:port, a bare name; nothing from paths or sentences', () => {
		const cases: Array<[string, string | undefined]> = [
			['redis://:pw@paperless-broker:6379/0', 'paperless-broker'],
			['postgresql://user:p@ss@db/immich', 'db'],
			['gitea-db:5432', 'gitea-db'],
			['bookstack-db', 'bookstack-db'],
			['ws://[::1]:3000', '[::1]'],
			['/srv/data', undefined],
			['run every night', undefined],
		];
		for (const [value, host] of cases) assert.equal(namedHost(value), host, value);
	});
});
